"""The buttons on posts and profiles (POST, CSRF-checked): star, repost, report, delete; follow,
mute, block and their undoing. Each calls the domain function the APIs call and goes back to
the page it was pressed on; a refusal is a page saying why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from posts.services import posting, reports, stars
from posts.services.lookup import get_post
from reposts import services as reposts
from users.services import graph

from ..pages import answers_refusals, back_to, viewer_of
from ..rendering import post_url, user_url
from .public import find_user

# Each as the App.net endpoint does it: a star or repost finds the post as anyone would see it
# (the action says why it refuses: blocked, deleted, your own), a report as the viewer sees it,
# a delete only among the viewer's own posts.
POST_ACTIONS = {
    "star": lambda user, pk: stars.star(user, get_post(pk)),
    "unstar": lambda user, pk: stars.unstar(user, get_post(pk)),
    "repost": lambda user, pk: reposts.repost(user, get_post(pk))[0],
    "unrepost": lambda user, pk: reposts.unrepost(user, get_post(pk)),
    "report": lambda user, pk: reports.report_spam(user, get_post(pk, user)),
    "delete": posting.delete_post,
}
USER_ACTIONS = {
    "follow": graph.follow,
    "unfollow": graph.unfollow,
    "mute": graph.mute,
    "unmute": graph.unmute,
    "block": graph.block,
    "unblock": graph.unblock,
}


@require_POST
@login_required
@answers_refusals
def post_action(request: HttpRequest, username: str, post_id: str, action: str) -> HttpResponse:
    post = POST_ACTIONS[action](viewer_of(request), post_id)
    return back_to(request, "/home" if action == "delete" else post_url(post))


@require_POST
@login_required
@answers_refusals
def user_action(request: HttpRequest, username: str, action: str) -> HttpResponse:
    viewer = viewer_of(request)
    user = find_user(username)
    USER_ACTIONS[action](viewer, user)
    return back_to(request, user_url(user))
