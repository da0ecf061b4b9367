"""The ADN rendering of a user, and the validation of profile updates."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from rest_framework import serializers

from adn_api.formats import iso_z
from entities.options import EntityOptions
from files.services.annotations import expand

from .models import User
from .services.viewer import ViewerContext

IMAGE_SIZE = 200


def image_object(url: str, kind: str, width: int | None = None, height: int | None = None) -> dict:
    """App.net's image object; an account without its own image gets the server's default
    (adn_api/static/{kind}-default.png)."""
    if url:
        return {
            "url": url,
            "width": width or IMAGE_SIZE,
            "height": height or IMAGE_SIZE,
            "is_default": False,
        }
    return {
        "url": f"{settings.PUBLIC_URL}/static/{kind}-default.png",
        "width": IMAGE_SIZE,
        "height": IMAGE_SIZE,
        "is_default": True,
    }


def user_to_adn(user: User, context: ViewerContext, *, include_html: bool = True) -> dict:
    description = {
        "text": user.description_text,
        "entities": user.description_entities or {"mentions": [], "hashtags": [], "links": []},
    }
    if include_html:
        description["html"] = user.description_html
    data = {
        "id": str(user.pk),
        "username": user.username,
        "name": user.name,
        "description": description,
        "timezone": user.timezone,
        "locale": user.locale,
        "avatar_image": image_object(
            user.avatar_url, "avatar", user.avatar_width, user.avatar_height
        ),
        "cover_image": image_object(user.cover_url, "cover", user.cover_width, user.cover_height),
        "type": user.type,
        "created_at": iso_z(user.date_joined),
        "canonical_url": f"{settings.PUBLIC_URL}/{user.username}",
        "counts": {
            "following": user.following_count,
            "followers": user.followers_count,
            "posts": user.posts_count,
            "stars": user.stars_count,
        },
    }
    if pagination_id := getattr(user, "pagination_id", None):
        data["pagination_id"] = str(pagination_id)
    if context.authenticated:
        data.update(user_viewer_flags(user.pk, context))
    return data


def user_viewer_flags(user_id: int, context: ViewerContext) -> dict[str, bool]:
    """The viewer's relations to a user, as ADN's user object shows them (signed in only); also
    merged into cached renderings (adn_api/rendered.py)."""
    is_self = context.viewer.pk == user_id
    blocked = context.has("you_blocked", user_id)
    return {
        "follows_you": context.has("follows_you", user_id),
        "you_follow": context.has("you_follow", user_id),
        "you_muted": context.has("you_muted", user_id),
        "you_blocked": blocked,
        "you_can_follow": not is_self and not blocked,
        "you_can_subscribe": not is_self,
    }


def users_to_adn(users: list[User], viewer, options) -> list[dict]:
    """A page of users: one query for the viewer's relationships, whatever its size (and one
    for the files their annotations show, when asked for)."""
    context = ViewerContext.load(viewer, (u.pk for u in users))
    rendered = [user_to_adn(u, context, include_html=options.user_html) for u in users]
    if options.user_annotations:
        add_user_annotations(rendered, users)
    return rendered


def add_user_annotations(rendered: list[dict], users: list[User]) -> None:
    """Each user's annotations, attached files' current values in place (one query)."""
    expanded = expand({u.pk: u.annotations for u in users})
    for data, user in zip(rendered, users, strict=True):
        data["annotations"] = expanded.get(user.pk, [])


class ProfileUpdateSerializer(serializers.Serializer):
    """Fields a user may change on ``users/me``: description entities are derived from the text,
    bar the links a client names in ``description.entities`` (checked against the text), and
    annotations are merged by type (``users.services.profile``)."""

    name = serializers.CharField(max_length=50, allow_blank=True, required=False)
    locale = serializers.RegexField(
        r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$", max_length=16, required=False
    )
    timezone = serializers.CharField(max_length=64, required=False)
    description = serializers.DictField(required=False)
    annotations = serializers.JSONField(required=False)  # checked by users.services.profile

    def validate_timezone(self, value: str) -> str:
        if value not in available_timezones() and value != "UTC":
            raise serializers.ValidationError("must be an IANA time zone name, e.g. Europe/Paris.")
        return value

    def validate_description(self, value: dict) -> dict:
        text = value.get("text", "")
        if not isinstance(text, str):
            raise serializers.ValidationError("text must be a string.")
        if len(text) > settings.USER_DESCRIPTION_MAX_LENGTH:
            raise serializers.ValidationError(
                f"text is limited to {settings.USER_DESCRIPTION_MAX_LENGTH} characters."
            )
        # App.net's user-specified entities: {"links": [...], "parse_links", ...}, as a post's.
        return {"text": text, "entities": EntityOptions.from_body(value)}
