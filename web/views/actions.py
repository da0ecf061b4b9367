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

POST_ACTIONS = {
    "star": stars.star,
    "unstar": stars.unstar,
    "repost": lambda user, post: reposts.repost(user, post)[0],
    "unrepost": reposts.unrepost,
    "report": reports.report_spam,
    "delete": lambda user, post: posting.delete_post(user, post.pk),
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
    viewer = viewer_of(request)
    # Looked up as anyone would see it: the action itself says why it refuses (blocked, …).
    post = get_post(post_id)
    POST_ACTIONS[action](viewer, post)
    return back_to(request, "/home" if action == "delete" else post_url(post))


@require_POST
@login_required
@answers_refusals
def user_action(request: HttpRequest, username: str, action: str) -> HttpResponse:
    viewer = viewer_of(request)
    user = find_user(username)
    USER_ACTIONS[action](viewer, user)
    return back_to(request, user_url(user))
