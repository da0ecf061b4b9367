"""One post as the pages show it, written in Python rather than a template: a page holds up to a
hundred, and Django's template engine spent most of a thread page's time on them (bench/web).

A card is written in two steps. ``write`` makes what every viewer sees the same (``Parts``: the
author, the text, photos, the counts), from the post's and its author's rows only, so it can be
kept under their versions (``web/cached.py``); ``post_card`` adds per request what is not: the
time in words ("3 minutes ago"), the viewer's actions (their star, their CSRF token) and the
page's choices (highlighted, inside its thread).

Every value from a user goes through ``format_html`` (Django's escaping, as autoescape would);
the post's text is its stored entity html with links (``rendering.linked_html``). The markup is
what ``site.css`` styles: an ``article.post`` with the author, the text, photos and actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.middleware.csrf import get_token
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from posts.models import Post

from .rendering import HUES, Photo, linked_html, post_url, profile_path, uploaded_avatar, when


class Parts(NamedTuple):
    """A post's card as every viewer sees it, its html already escaped, and what the post's own
    page shows of it around the card. Plain values only: it is pickled into the cache."""

    row_id: int  # the row listed: a repost's own
    post_id: int  # the post shown: a repost's original
    user_id: int  # the shown post's author
    username: str
    name: str
    deleted: bool
    created_at: datetime
    head: str  # the card's html up to the time in words
    middle: str  # after the time, up to the conversation link
    context: str  # the link to the conversation of a reply ("" for a post replying to none)
    replies: int
    reposts: int
    stars: int
    url: str  # the post's page
    author_url: str
    avatar: str  # the author's own avatar, or ""
    photo: str  # the first photo's page, or ""
    summary: str  # the text's first 200 characters


@dataclass(slots=True)
class PageCard:
    """A card on one page: its ``Parts`` and the viewer's relations to the post."""

    parts: Parts
    starred: bool = False
    reposted: bool = False
    is_own: bool = False


def _avatar(avatar: str, author_url: str, username: str, user_id: int) -> SafeString:
    if avatar:
        image = format_html(
            '<img class="avatar-img s48" src="{}" alt="" width="48" height="48" loading="lazy">',
            avatar,
        )
    else:
        image = format_html(
            '<span class="avatar-img initial s48 hue-{}">{}</span>',
            user_id % HUES,
            username[:1].upper(),
        )
    return format_html(
        '<a class="avatar" href="{}" tabindex="-1" aria-hidden="true">{}</a>', author_url, image
    )


def _photos(photos: list[Photo]) -> SafeString:
    return format_html_join(
        "",
        '<a class="photo" href="{}"><img src="{}" alt="{}"{} loading="lazy"></a>',
        (
            (
                photo.url,
                photo.thumbnail,
                photo.title or "Photo",
                format_html(' width="{}" height="{}"', photo.width, photo.height)
                if photo.width and photo.height
                else "",
            )
            for photo in photos
        ),
    )


def write(row: Post, photos: list[Photo]) -> Parts:
    """The card of ``row`` (a repost shows its original) with these photos, for any viewer."""
    post = row.repost_of if row.repost_of_id else row
    user = post.user
    url, author_url, avatar = post_url(post), profile_path(user.username), uploaded_avatar(user)
    reposted = (
        format_html(
            '<p class="reposted">↻ <a href="/{}">@{}</a> reposted</p>',
            row.user.username,
            row.user.username,
        )
        if row.repost_of_id
        else ""
    )
    if post.is_deleted:
        head = format_html('{}<p class="gone">This post was deleted.</p>', reposted)
        middle = ""
    else:
        name = format_html("<strong>{}</strong> ", user.name) if user.name else ""
        head = format_html(
            '{}{}<div class="body"><header><a class="who" href="{}">{}<span class="handle">@{}'
            '</span></a><a class="when" href="{}"><time datetime="{}">',
            reposted,
            _avatar(avatar, author_url, user.username, post.user_id),
            author_url,
            name,
            user.username,
            url,
            post.created_at.isoformat(),
        )
        middle = format_html(
            '</time></a></header><div class="text">{}</div>{}',
            linked_html(post.html),
            _photos(photos),
        )
    context = (
        format_html('<p class="context"><a href="{}">↩ In a conversation</a></p>', url)
        if post.reply_to_id
        else ""
    )
    return Parts(
        row_id=row.pk,
        post_id=post.pk,
        user_id=post.user_id,
        username=user.username,
        name=user.name,
        deleted=post.is_deleted,
        created_at=post.created_at,
        head=str(head),
        middle=str(middle),
        context=str(context),
        replies=post.num_replies,
        reposts=post.num_reposts,
        stars=post.num_stars,
        url=url,
        author_url=author_url,
        avatar=avatar,
        photo=photos[0].url if photos else "",
        summary=post.text[:200],
    )


def _count(n: int) -> SafeString:
    return format_html(' <span class="n">{}</span>', n) if n else mark_safe("")


def _button(parts: Parts, hidden: SafeString, action: str, on: bool, icon: str, words: tuple, n):
    return format_html(
        '<form method="post" action="{}/{}">{}<button type="submit" class="act{}" '
        'aria-pressed="{}">{} <span class="label">{}</span>{}</button></form>',
        parts.url,
        action,
        hidden,
        " on" if on else "",
        "true" if on else "false",
        icon,
        words[1] if on else words[0],
        _count(n),
    )


def _actions(card: PageCard, request, signed_in: bool) -> str:
    parts = card.parts
    if not signed_in:
        # Numbers only: nothing to escape.
        return (
            f'<span class="act static" title="Replies">↩ {parts.replies}</span>'
            f'<span class="act static" title="Reposts">↻ {parts.reposts}</span>'
            f'<span class="act static" title="Stars">★ {parts.stars}</span>'
        )
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    back = format_html(
        '{}<input type="hidden" name="next" value="{}#post-{}">',
        csrf,
        request.get_full_path(),
        parts.row_id,
    )
    reply = format_html(
        '<a class="act" href="/compose?reply_to={}" aria-label="Reply to @{}">↩ '
        '<span class="label">Reply</span>{}</a>',
        parts.post_id,
        parts.username,
        _count(parts.replies),
    )
    if card.is_own:
        repost = format_html('<span class="act static" title="Reposts">↻ {}</span>', parts.reposts)
        more = format_html(
            '<form method="post" action="{}/delete">{}<button type="submit" class="link danger">'
            "Delete this post</button></form>",
            parts.url,
            csrf,
        )
    else:
        verb = "unrepost" if card.reposted else "repost"
        words = ("Repost", "Reposted")
        repost = _button(parts, back, verb, card.reposted, "↻", words, parts.reposts)
        more = format_html(
            '<form method="post" action="{}/report">{}<input type="hidden" name="next" value="{}">'
            '<button type="submit" class="link danger">Report as spam (and mute @{})</button>'
            "</form>",
            parts.url,
            csrf,
            request.get_full_path(),
            parts.username,
        )
    verb = "unstar" if card.starred else "star"
    star = _button(parts, back, verb, card.starred, "★", ("Star", "Starred"), parts.stars)
    return format_html(
        '{}{}{}<details class="more"><summary class="act" aria-label="More actions">⋯</summary>'
        '<div class="menu">{}</div></details>',
        reply,
        repost,
        star,
        more,
    )


def post_card(
    card: PageCard, request, *, signed_in: bool, highlight: bool = False, in_thread: bool = False
) -> SafeString:
    parts = card.parts
    classes = "post" + (" deleted" if parts.deleted else "") + (" main" if highlight else "")
    if parts.deleted:
        body = parts.head
    else:
        body = "".join(
            (
                parts.head,
                escape(when(parts.created_at)),
                parts.middle,
                "" if in_thread else parts.context,
                '<footer class="actions">',
                _actions(card, request, signed_in),
                "</footer></div>",
            )
        )
    # The parts are escaped html (``write``); the ids are numbers.
    return mark_safe(  # noqa: S308
        f'<article class="{classes}" id="post-{parts.row_id}" data-post-id="{parts.post_id}">'
        f"{body}</article>"
    )
