"""Profile changes."""

from __future__ import annotations

from django.conf import settings

from entities.services import process_post_text

from ..models import User


def update_profile(user: User, changes: dict, *, replace: bool) -> User:
    """Apply validated changes. PUT (``replace``) resets fields it does not name."""
    if replace:
        changes = {"name": "", "description": {"text": ""}, **changes}
    for field in ("name", "locale", "timezone"):
        if field in changes:
            setattr(user, field, changes[field])
    if "description" in changes:
        set_description(user, changes["description"]["text"])
    user.save()
    return user


def set_description(user: User, text: str) -> None:
    """The description gets entities and html through the same code as a post's text."""
    processed = process_post_text(text, limit=settings.USER_DESCRIPTION_MAX_LENGTH)
    user.description_text = processed.text
    user.description_entities = processed.entities
    user.description_html = processed.html
