"""Reading a channel's ACLs from a request body: App.net's ``{user_ids, any_user, public,
immutable}`` objects, checked against the channel type's rules.

``user_ids`` take ids or ``@username``; every one must name an existing account (a typo must
not silently drop someone from a private channel). ``any_user``, ``public`` and a non-empty
``user_ids`` exclude each other; writers and editors are never public, editors never any user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import invalid
from core.inputs import flag_value, parse_id
from entities.services import known_users
from users.models import User
from users.models.user import username_validator

from ..options import BROADCAST, MAX_ACL_USERS


@dataclass(frozen=True)
class Acl:
    user_ids: tuple[int, ...] = ()
    any_user: bool = False
    public: bool = False
    immutable: bool = False
    given: set = field(default_factory=set, compare=False)  # which keys the body named


def resolve_users(idents: list, name: str, *, limit: int | None = MAX_ACL_USERS) -> list[int]:
    """Ids of the active users named by ids or ``@username``s, in the order given (duplicates
    dropped); refused when any names no one, or there are more than ``limit``."""
    if not isinstance(idents, list):
        raise invalid(f"{name} must be a list of user ids or @usernames.")
    if limit is not None and len(idents) > limit:
        raise invalid(f"{name} may name at most {limit} users; {len(idents)} were given.")
    ids: list[int] = []
    names: list[str] = []
    for ident in idents:
        if isinstance(ident, bool) or not isinstance(ident, str | int):
            raise invalid(f"{name} must hold user ids or @usernames.")
        text = str(ident).strip()
        if text.startswith("@"):
            if not username_validator.regex.match(text[1:]):
                raise invalid(f"{name}: {text[:40]!r} is not a valid username.")
            names.append(text[1:].lower())
        else:
            ids.append(parse_id(text, name))
    by_id = set(User.objects.filter(is_active=True, pk__in=ids).values_list("pk", flat=True))
    by_name = {lower: pk for lower, (pk, _name) in known_users(set(names)).items()}
    missing = [str(i) for i in ids if i not in by_id] + [f"@{n}" for n in names if n not in by_name]
    if missing:
        shown = ", ".join(missing[:10])
        raise invalid(f"{name} names users that do not exist: {shown}.")
    ordered: list[int] = []
    for ident in idents:
        text = str(ident).strip()
        pk = by_name[text[1:].lower()] if text.startswith("@") else int(text)
        if pk not in ordered:
            ordered.append(pk)
    return ordered


def parse_acl(data, role: str, channel_type: str, owner: User, *, default: Acl) -> Acl:
    """One ACL (``role``: readers, writers or editors) from the body, or ``default`` when the
    body has none. The owner is never listed: they always hold every right."""
    if data is None:
        return default
    if not isinstance(data, dict):
        raise invalid(f"{role} must be an object with user_ids, any_user, public, immutable.")
    unknown = set(data) - {"user_ids", "any_user", "public", "immutable", "you"}
    if unknown:
        raise invalid(f"{role} has unknown keys: {', '.join(sorted(map(str, unknown)))}.")
    limit = None if role == "readers" and channel_type == BROADCAST else MAX_ACL_USERS
    user_ids = resolve_users(data.get("user_ids", []), f"{role}.user_ids", limit=limit)
    user_ids = [pk for pk in user_ids if pk != owner.pk]
    any_user = flag_value(data.get("any_user", False), f"{role}.any_user")
    public = flag_value(data.get("public", False), f"{role}.public")
    immutable = flag_value(data.get("immutable", default.immutable), f"{role}.immutable")
    if public and role != "readers":
        raise invalid(f"{role}.public must be false: only readers can be public.")
    if any_user and role == "editors":
        raise invalid("editors.any_user must be false.")
    if sum([any_user, public, bool(user_ids)]) > 1:
        raise invalid(f"{role}: any_user, public and user_ids exclude each other; give one.")
    return Acl(tuple(user_ids), any_user, public, immutable, set(data))
