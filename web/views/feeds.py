"""RSS and Atom feeds of a user's posts and of a hashtag, at App.net's paths
(``/feed/rss/users/@name/posts``, ``/feed/rss/posts/tag/name``; Atom under ``/feed/atom/``),
written by Django's syndication framework.

A feed is read by anyone, signed out: the posts are the signed-out page of that stream
(``streams.services.page``), so a suspended author's or deleted post is never in one. Each answer
is cached for a minute and carries an ETag of its content; a reader sending it back
(``If-None-Match``) gets a 304 without a body.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_page
from django.views.decorators.http import conditional_page

from core.errors import Refused
from core.paging import Cursor
from posts.models import Post
from streams.services.page import Stream, page
from users.models import User

from ..pages import STREAM
from ..rendering import post_url
from .public import find_user

FEED_SIZE = 20
CACHE_SECONDS = 60


def _posts(stream: Stream) -> list[Post]:
    return page(None, stream, STREAM, Cursor(count=FEED_SIZE)).posts


def _title(post: Post) -> str:
    text = post.original.text.replace("\n", " ")
    return f"@{post.user.username}: {text[:80]}{'…' if len(text) > 80 else ''}"


class PostFeed(Feed):
    """What both feeds share: one item per post, its text as the title, its html as the body."""

    def __call__(self, request: HttpRequest, *args, **kwargs):
        return cached(super().__call__)(request, *args, **kwargs)

    def item_title(self, item: Post) -> str:
        return _title(item)

    def item_description(self, item: Post) -> str:
        return item.original.html

    def item_link(self, item: Post) -> str:
        return post_url(item)

    def item_guid(self, item: Post) -> str:
        return post_url(item)

    def item_pubdate(self, item: Post):
        return item.created_at

    def item_author_name(self, item: Post) -> str:
        return f"@{item.user.username}"


def cached(view):
    # The cache outside, the ETag around it: a 304 needs no rendering, nor a cache hit's body.
    return conditional_page(cache_page(CACHE_SECONDS)(view))


class UserRss(PostFeed):
    def get_object(self, request: HttpRequest, ident: str) -> User:
        name = ident.lstrip("@")
        try:
            return find_user(name)
        except Refused:
            raise Http404(f"No user @{name}") from None

    def title(self, user: User) -> str:
        return f"@{user.username}'s posts"

    def link(self, user: User) -> str:
        return reverse("web:profile", args=[user.username])

    def description(self, user: User) -> str:
        return user.description_text or f"Posts by @{user.username}"

    def items(self, user: User) -> list[Post]:
        return _posts(Stream.of_user(user))


class UserAtom(UserRss):
    feed_type = Atom1Feed
    subtitle = UserRss.description


class TagRss(PostFeed):
    def get_object(self, request: HttpRequest, tag: str) -> Stream:
        try:
            return Stream.hashtag(tag)
        except Refused:
            raise Http404(f"No hashtag {tag[:40]}") from None

    def title(self, stream: Stream) -> str:
        return f"Posts tagged #{stream.tag}"

    def link(self, stream: Stream) -> str:
        return reverse("web:hashtag", args=[stream.tag])

    def description(self, stream: Stream) -> str:
        return f"Public posts with #{stream.tag}"

    def items(self, stream: Stream) -> list[Post]:
        return _posts(stream)


class TagAtom(TagRss):
    feed_type = Atom1Feed
    subtitle = TagRss.description
