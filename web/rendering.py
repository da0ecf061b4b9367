"""Posts and users as the pages show them: links to their pages, avatars, photos, times.

Text is the entity parser's stored html (every character of the user's text escaped there), with
its mention and hashtag spans turned into links to their pages here; nothing else the user wrote
reaches a template except through Django's autoescape.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language

from posts.models import Post
from users.models import User

# The exact markup entities/core.py writes: a mention's or hashtag's span holds escaped text only.
MENTION = re.compile(
    r'<span data-mention-id="(\d+)" data-mention-name="([A-Za-z0-9_]{1,20})" '
    r'itemprop="mention">([^<]*)</span>'
)
HASHTAG = re.compile(r'<span data-hashtag-name="([^"<>]*)" itemprop="hashtag">([^<]*)</span>')
LINK = re.compile(r'<a href="')
PHOTO_TYPES = {"net.app.core.oembed"}


def linked_html(stored: str) -> SafeString:
    """The stored entity html with mentions and hashtags as links to their pages, and links to
    elsewhere marked as the user's (no referrer, no endorsement)."""

    def mention(match: re.Match) -> str:
        user_id, name, text = match.groups()
        href = profile_path(name)
        return (
            f'<a class="mention" href="{href}" data-mention-id="{user_id}" '
            f'itemprop="mention">{text}</a>'
        )

    def hashtag(match: re.Match) -> str:
        name, text = match.groups()
        href = hashtag_path(html.unescape(name))
        return f'<a class="hashtag" href="{html.escape(href)}" itemprop="hashtag">{text}</a>'

    linked = MENTION.sub(mention, stored)
    linked = HASHTAG.sub(hashtag, linked)
    linked = LINK.sub('<a rel="nofollow ugc noopener" href="', linked)
    return mark_safe(linked)  # noqa: S308 - built from the escaped stored html, see above


@cache
def _prefix(name: str, sample: str) -> str:
    """Where the URLconf puts this route, from reversing it once (``/``, ``/hashtags/``)."""
    return reverse(name, args=[sample]).removesuffix(sample)


def profile_path(username: str) -> str:
    # Usernames are [A-Za-z0-9_]: nothing to quote. Pages build hundreds of these, so the
    # route is reversed once rather than per link.
    return _prefix("web:profile", "x") + username


def hashtag_path(name: str) -> str:
    return _prefix("web:hashtag", "x") + quote(name, safe="")


def local_url(url: str) -> str:
    """A URL of this server's (an uploaded avatar or photo) as a path, so the page works on
    whatever address it was opened (the CSP allows images from this server only)."""
    if url.startswith(settings.PUBLIC_URL + "/"):
        return url[len(settings.PUBLIC_URL) :]
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") else ""


def avatar_of(user: User) -> str:
    """The avatar's URL, the server's default image when the user has none (og:image)."""
    return uploaded_avatar(user) or static("avatar-default.png")


def uploaded_avatar(user: User) -> str:
    """The user's own avatar, or "" (the pages then show their initial)."""
    return local_url(user.avatar_url) if user.avatar_url else ""


@dataclass
class Photo:
    url: str
    thumbnail: str
    width: int | None
    height: int | None
    title: str


HUES = 8  # the colours (site.css .hue-N) of avatars without an image


def post_url(post: Post) -> str:
    return f"{profile_path(post.user.username)}/post/{post.pk}"


def user_url(user: User) -> str:
    return profile_path(user.username)


def photos_of(annotations: list[dict]) -> list[Photo]:
    """The photos (oEmbeds) among a post's annotations, as their files expanded them."""
    photos = []
    for annotation in annotations:
        value = annotation.get("value")
        if annotation.get("type") not in PHOTO_TYPES or not isinstance(value, dict):
            continue
        if value.get("type") != "photo" or not isinstance(value.get("url"), str):
            continue
        url = local_url(value["url"])
        thumbnail = local_url(str(value.get("thumbnail_url") or value["url"]))
        if url and thumbnail:
            photos.append(
                Photo(
                    url,
                    thumbnail,
                    value.get("thumbnail_width"),
                    value.get("thumbnail_height"),
                    str(value.get("title") or ""),
                )
            )
    return photos


def when(moment: datetime) -> str:
    """A post's time as people say it: "3 minutes ago" within a day, the date after that."""
    age = timezone.now() - moment
    seconds = age.total_seconds()
    if seconds < 60:
        return "just now"
    if age.days < 1:
        hours = int(seconds // 3600)
        return _ago(get_language(), hours, 0 if hours else int(seconds // 60))
    return moment.strftime("%-d %b %Y")


@lru_cache(maxsize=512)
def _ago(language: str, hours: int, minutes: int) -> str:
    """``timesince``'s first unit for an age under a day ("5 minutes", "3 hours"), which only
    its hours (else its minutes) decide: made once per age and language, not for each post of
    each page."""
    start = datetime(2000, 1, 1, tzinfo=UTC)
    age = timedelta(hours=hours, minutes=minutes)
    return f"{timesince(start, start + age).split(',')[0]} ago"
