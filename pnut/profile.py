"""pnut's ``PUT``/``PATCH users/me`` body, read into the fields App.net's ``users/me`` takes
(``users.serializers.ProfileUpdateSerializer``), so both dialects change a profile through the
same checks and ``users.services.profile.update_profile``.

pnut names the description ``content.text`` and the annotations ``raw``; a user's raw holds at
most one item per type, and a type given as ``[]`` is deleted (implementation/raw.md). pnut's
``PUT`` requires ``locale`` and ``timezone``. Anything else in the body (a whole user object, as
pnutpy's ``User.update_user`` sends) is ignored, as pnut does.
"""

from __future__ import annotations

from typing import Any

from adn_api.errors import BadRequest


def profile_body(data: Any, partial: bool) -> dict:
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON user object.")
    if not partial:
        missing = [name for name in ("locale", "timezone") if data.get(name) in (None, "")]
        if missing:
            raise BadRequest(f"{' and '.join(missing)} required to replace a profile (PUT).")
    fields: dict[str, Any] = {
        name: data[name] for name in ("name", "locale", "timezone") if name in data
    }
    if fields.get("name") is None:
        fields.pop("name", None)  # pnut: a user's name is optional; null is no name given
    if "content" in data:
        content = data["content"]
        if not isinstance(content, dict):
            raise BadRequest("content must be an object with text.")
        if "text" in content:
            fields["description"] = {"text": content["text"]}
    if data.get("raw") is not None:
        fields["annotations"] = annotations_from_user_raw(data["raw"])
    return fields


def annotations_from_user_raw(raw: Any) -> list[dict]:
    """pnut's ``{type: [value]}`` as App.net's profile annotation changes: a value sets its
    type, ``[]`` deletes it."""
    if not isinstance(raw, dict):
        raise BadRequest("raw must be an object of {type: [value]}.")
    changes = []
    for kind, values in raw.items():
        if not isinstance(values, list) or len(values) > 1:
            raise BadRequest(f"raw.{kind} must be a list of at most one object on a user.")
        changes.append({"type": kind, "value": values[0]} if values else {"type": kind})
    return changes
