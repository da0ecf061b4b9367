"""Avatars and covers: an uploaded image becomes a public file of the user's, and the profile
points at it with its real dimensions; the one it replaces is deleted."""

from __future__ import annotations

from django.db import transaction

from core.errors import invalid
from users.models import User

from ..models import File
from . import images, store
from .derive import forget, stored_keys
from .files import create_file

FIELDS = {
    File.Purpose.AVATAR: ("avatar_url", "avatar_width", "avatar_height"),
    File.Purpose.COVER: ("cover_url", "cover_width", "cover_height"),
}


def set_profile_image(user: User, content: bytes, purpose: str, *, source=None) -> User:
    if not images.inspect(content).is_image:
        raise invalid(f"The {purpose} must be a PNG, JPEG, GIF or WebP image.")
    file = create_file(
        user,
        type=f"net.app.core.user.{purpose}",
        content=content,
        name=purpose,
        public=True,
        source=source,
        purpose=purpose,
    )
    url_field, width_field, height_field = FIELDS[purpose]
    with transaction.atomic():
        User.objects.lock(user.pk)
        old = list(File.objects.filter(user=user, purpose=purpose).exclude(pk=file.pk))
        File.objects.filter(pk__in=[f.pk for f in old]).delete()
        keys = [key for f in old for key in stored_keys(f)]
        transaction.on_commit(lambda: forget(*keys))
        setattr(user, url_field, store.link(file.pk, permanent=True).url)
        setattr(user, width_field, file.width)
        setattr(user, height_field, file.height)
        user.save(update_fields=[url_field, width_field, height_field])
    return user


def clear_profile_image(user: User, purpose: str) -> User:
    """Back to the default image (pnut's ``DELETE users/me/avatar``): the uploaded file goes,
    bytes and all; nothing happens for a user already on the default."""
    url_field, width_field, height_field = FIELDS[purpose]
    with transaction.atomic():
        User.objects.lock(user.pk)
        old = list(File.objects.filter(user=user, purpose=purpose))
        File.objects.filter(pk__in=[f.pk for f in old]).delete()
        keys = [key for f in old for key in stored_keys(f)]
        transaction.on_commit(lambda: forget(*keys))
        setattr(user, url_field, "")
        setattr(user, width_field, None)
        setattr(user, height_field, None)
        user.save(update_fields=[url_field, width_field, height_field])
    return user


def profile_image_url(user: User, purpose: str) -> str:
    return getattr(user, FIELDS[purpose][0])
