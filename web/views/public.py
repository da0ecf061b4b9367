"""Pages anyone may read: the landing page, the global stream, profiles, a post with its
thread, hashtags. Each is a page of ``streams.services.page`` and the viewer's relations to it."""

from __future__ import annotations

from django.db.models import QuerySet, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.compiled import Slots, compiled
from core.errors import Reason, Refused
from core.inputs import parse_id
from core.paging import Cursor
from posts.models import Post
from posts.options import BY_ID, PostFilters
from posts.services.lookup import get_post
from streams.services.page import Stream
from users.models import User

from ..cards import post_card
from ..pages import (
    StreamView,
    answers_refusals,
    cursor_of,
    message_page,
    page_response,
    stream_page,
    viewer_of,
)
from ..rendering import avatar_of, linked_html
from ..routes import is_reserved

# A profile lists the user's posts even from someone the viewer muted (App.net's default).
PROFILE = PostFilters(include_deleted=False, include_muted=True)
# A thread keeps its deleted posts in place, shown as such, so the replies keep their context;
# a post asked for by its URL shows as it would by id (machine-only, muted authors included).
THREAD = PostFilters(include_deleted=True, include_muted=True, include_machine=True)


def api_bases(request: HttpRequest) -> dict[str, str]:
    return {
        "adn": request.build_absolute_uri("/stream/0/"),
        "pnut": request.build_absolute_uri("/v1/"),
        "diaspora": request.build_absolute_uri("/api/v1/"),
    }


def stream_or_fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """htmx's "load newer" asks for the new posts only (``HX-Request``): the list's items."""
    if request.headers.get("HX-Request") == "true":
        return page_response(request, "web/_newer.html", context)
    return page_response(request, template, context)


@answers_refusals
def landing(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer is not None and not request.GET:
        return redirect("web:home")
    context = {
        "stream": stream_page(request, viewer, Stream.global_()),
        "apis": api_bases(request),
        "server": request.get_host(),
    }
    return stream_or_fragment(request, "web/landing.html", context)


@answers_refusals
def global_stream(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    context = {"stream": stream_page(request, viewer, Stream.global_()), "title": "Global"}
    return stream_or_fragment(request, "web/stream.html", context)


def _active_user(slots: Slots) -> QuerySet:
    # Upper on both sides rather than ``iexact``, which SQLite turns into a LIKE and so escapes
    # the name (it would no longer be the value given).
    named = Exact(Upper("username"), Upper(Value(slots.text("username"))))
    return User.objects.filter(named, is_active=True).order_by("pk")[:1]


def find_user(username: str) -> User:
    user = None
    if not is_reserved(username):
        found = compiled(_active_user).run(username=username)
        user = found[0] if found else None
    if user is None:
        raise Refused(Reason.NOT_FOUND, f"There is no user @{username[:40]} here.", subject="user")
    return user


@answers_refusals
def profile(request: HttpRequest, username: str) -> HttpResponse:
    viewer = viewer_of(request)
    user = find_user(username)
    stream = stream_page(request, viewer, Stream.of_user(user), PROFILE, user_ids=(user.pk,))
    context = stream.relations
    return stream_or_fragment(
        request,
        "web/profile.html",
        {
            "user": user,
            "avatar": avatar_of(user),
            "bio": linked_html(user.description_html) if user.description_html else "",
            "stream": stream,
            "is_self": viewer is not None and viewer.pk == user.pk,
            "you_follow": context.has("you_follow", user.pk),
            "follows_you": context.has("follows_you", user.pk),
            "you_muted": context.has("you_muted", user.pk),
            "you_blocked": context.has("you_blocked", user.pk),
            "canonical": request.build_absolute_uri(reverse("web:profile", args=[user.username])),
            "feed": reverse("web:user-rss", args=[user.username]),
            "atom": reverse("web:user-atom", args=[user.username]),
        },
    )


def thread_from(request: HttpRequest, viewer, post_id: int, thread_id: int) -> StreamView:
    """The thread from this post on (it and the ``count - 1`` later ones, oldest first): one
    compiled page of ``streams.services.page``, the post's visibility included."""
    count = cursor_of(request).count
    cursor = Cursor(count=-count, since_id=post_id, since_inclusive=True)
    return stream_page(request, viewer, Stream("thread", subject=thread_id), THREAD, cursor=cursor)


def _thread_of(request: HttpRequest, viewer, main_id: int, thread_id: int):
    """The thread from the post on, oldest first, and the post's card (None: not there, or not
    visible to this viewer)."""
    thread = thread_from(request, viewer, main_id, thread_id)
    thread.cards.reverse()  # oldest first: the post, then its replies
    return thread, next((c for c in thread.cards if c.parts.post_id == main_id), None)


def _whereabouts(slots: Slots) -> QuerySet:
    """Where a post is: its thread, what it reposts, and what it replies to and by whom."""
    return Post.objects.filter(pk=slots.post).values_list(
        "thread_id", "repost_of_id", "reply_to_id", "reply_to__user__username"
    )


# Posts whose page was not their own thread's first page: replies, reposts, posts some viewer
# could not see, no post at all. A hint only (which query to begin with), never an answer; a
# set of ids per process, emptied when it grows past its bound.
NOT_FIRST: set[int] = set()
MAX_NOT_FIRST = 100_000


def _as_first_post(request: HttpRequest, viewer, pk: int):
    """Most pages asked for are a thread's first post, whose thread id is its own: its page is
    that thread's, and the post found there proves it one (a reply is in the thread of the post
    it replies to, whose id is older than its own; a repost is in none). One query."""
    if pk in NOT_FIRST:
        return None
    thread, main = _thread_of(request, viewer, pk, pk)
    if main is None:
        if len(NOT_FIRST) >= MAX_NOT_FIRST:
            NOT_FIRST.clear()
        NOT_FIRST.add(pk)
        return None
    return thread, main, main.parts.username, None


def _located(request: HttpRequest, viewer, pk: int):
    """Any post's page: where it is (a lookup by primary key), then its thread read under the
    visibility rule."""
    found = compiled(_whereabouts).run(post=pk)
    if not found:
        raise Refused(Reason.NOT_FOUND, f"No post {pk}.")
    thread_id, repost_of_id, reply_to_id, reply_to_author = found[0]
    if repost_of_id is not None:
        # A repost's page is its original's thread, once the repost itself may be seen.
        repost = get_post(pk, viewer, BY_ID)
        main_id, thread_id, author = repost_of_id, repost.repost_of.thread_id, repost.user.username
    else:
        main_id, author = pk, None
    thread, main = _thread_of(request, viewer, main_id, thread_id or main_id)
    if main is None:  # not visible to this viewer
        raise Refused(Reason.NOT_FOUND, f"No post {pk}.")
    # The conversation before it: the post it replies to (its page shows it and on).
    earlier = None
    if reply_to_id and not repost_of_id:
        earlier = reverse("web:post", args=[reply_to_author, reply_to_id])
    return thread, main, author or main.parts.username, earlier


@answers_refusals
def post(request: HttpRequest, username: str, post_id: str) -> HttpResponse:
    viewer = viewer_of(request)
    pk = parse_id(post_id, "post id")
    located = _as_first_post(request, viewer, pk) or _located(request, viewer, pk)
    thread, main, author, earlier = located
    if author != username:
        return redirect(reverse("web:post", args=[author, pk]), permanent=True)
    if main.parts.deleted:
        return message_page(request, 410, f"@{author} deleted this post.")
    canonical = reverse("web:post", args=[author, pk])
    signed_in = viewer is not None
    # Each card as the template's loop laid it out, written here without the loop.
    written = (
        post_card(c, request, signed_in=signed_in, highlight=c is main, in_thread=True)
        for c in thread.cards
    )
    cards = "".join(f"\n    {card}\n  " for card in written)
    return page_response(
        request,
        "web/post.html",
        {
            "main": main.parts,
            "cards": mark_safe(cards),  # noqa: S308 - each card is escaped html (web/cards.py)
            "earlier": earlier,
            # A long thread goes on from its last post shown here.
            "later": thread.cards[-1].parts.url if thread.more else None,
            "canonical": request.build_absolute_uri(canonical),
            "avatar": main.parts.avatar or static("avatar-default.png"),
        },
    )


@answers_refusals
def hashtag(request: HttpRequest, tag: str) -> HttpResponse:
    viewer = viewer_of(request)
    stream = stream_page(request, viewer, Stream.hashtag(tag))
    return stream_or_fragment(
        request,
        "web/hashtag.html",
        {
            "tag": tag,
            "stream": stream,
            "canonical": request.build_absolute_uri(reverse("web:hashtag", args=[tag])),
            "feed": reverse("web:tag-rss", args=[tag]),
            "atom": reverse("web:tag-atom", args=[tag]),
        },
    )
