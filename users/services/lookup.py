"""Finding the user a URL or an ``ids=`` list names: a number, ``me`` or ``@username``."""

from __future__ import annotations

from django.db.models import Q

from core.errors import Reason, Refused, invalid
from core.inputs import parse_id

from ..models import User
from ..models.user import username_validator

MAX_IDS = 200


def _condition(ident: str, viewer) -> Q:
    ident = ident.strip()
    if ident == "me":
        if viewer is None:
            raise invalid("'me' needs a user access token.")
        return Q(pk=viewer.pk)
    if ident.startswith("@"):
        name = ident[1:]
        if not username_validator.regex.match(name):
            raise invalid(f"{ident[:40]!r} is not a valid username.")
        return Q(username__iexact=name)
    return Q(pk=parse_id(ident, "user id"))


def get_user(ident: str, viewer) -> User:
    if ident.strip() == "me" and viewer is not None:
        return viewer  # loaded with the token already
    user = User.objects.filter(_condition(ident, viewer), is_active=True).first()
    if user is None:
        raise Refused(Reason.NOT_FOUND, f"No user {ident[:40]!r}.", subject="user")
    return user


def get_users(idents: str, viewer) -> list[User]:
    """Users in the order asked for; unknown ones are left out, as App.net did."""
    parts = [part for part in idents.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
    conditions = [_condition(part, viewer) for part in parts]
    if not conditions:
        return []
    query = Q()
    for condition in conditions:
        query |= condition
    found = list(User.objects.filter(query, is_active=True))
    by_id = {user.pk: user for user in found}
    by_name = {user.username.lower(): user for user in found}
    ordered = []
    for part in parts:
        part = part.strip()
        if part == "me":
            user = by_id.get(viewer.pk)
        elif part.startswith("@"):
            user = by_name.get(part[1:].lower())
        else:
            user = by_id.get(int(part))
        if user is not None and user not in ordered:
            ordered.append(user)
    return ordered
