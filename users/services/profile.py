"""Profile changes."""

from __future__ import annotations

from django.conf import settings

from core.annotations import validate_annotations
from core.errors import invalid
from entities.options import EntityOptions
from entities.services import process_post_text
from files.services.annotations import check_references

from ..models import User


def update_profile(user: User, changes: dict, *, replace: bool) -> User:
    """Apply validated changes. PUT (``replace``) resets fields it does not name."""
    if replace:
        changes = {"name": "", "description": {"text": ""}, **changes}
    for field in ("name", "locale", "timezone"):
        if field in changes:
            setattr(user, field, changes[field])
    if "description" in changes:
        description = changes["description"]
        set_description(user, description["text"], description.get("entities"))
    if changes.get("annotations") is not None:
        set_annotations(user, changes["annotations"])
    user.save()
    return user


def set_description(user: User, text: str, entities: EntityOptions | None = None) -> None:
    """The description gets entities and html through the same code as a post's text, with the
    client's own links (App.net's user-specified entities) or markdown links as ``entities``
    asks."""
    processed = process_post_text(text, entities, limit=settings.USER_DESCRIPTION_MAX_LENGTH)
    user.description_text = processed.text
    user.description_entities = processed.entities
    user.description_html = processed.html


def set_annotations(user: User, changes) -> None:
    """App.net's rule for user annotations: one per type; an item replaces its type's, an item
    without ``value`` deletes it. File references are checked (``+net.app.core.file``)."""
    if not isinstance(changes, list):
        raise invalid("annotations must be a list of {type, value} objects.")
    current = {a["type"]: a for a in user.annotations}
    for index, item in enumerate(changes):
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise invalid(f"annotations[{index}] must be an object with a type.")
        if "value" in item:
            current[item["type"]] = item
        else:
            current.pop(item["type"], None)
    user.annotations = check_references(user, validate_annotations(list(current.values())))
