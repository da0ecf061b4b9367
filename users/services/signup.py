"""Signing up: the new account and App.net's ``welcome`` interaction for it (its first item in
``users/me/interactions``) in one transaction and, when the account came through someone's
invite link (the token's ``invite_link``: the signup page with the inviter's username as
``from``), a follow of the person who invited them, which tells them who joined.
"""

from __future__ import annotations

from django.db import transaction

from interactions import services as interactions
from interactions.models import WELCOME

from ..models import User
from . import graph


def inviter_named(code: str | None) -> User | None:
    """The active user an invite link's ``from`` names, or None (no code, nobody by that name:
    the signup goes on uninvited)."""
    if not code or len(code) > 20:
        return None
    return User.objects.filter(username__iexact=code, is_active=True).first()


def sign_up(user: User, inviter: User | None = None) -> User:
    """Save the new ``user`` (built and validated by the caller), welcome them and follow their
    inviter. Raises ``IntegrityError`` if the username was taken meanwhile; nothing is kept."""
    with transaction.atomic():
        user.save()
        interactions.record(WELCOME, user_id=user.pk, actor_id=user.pk)
        if inviter is not None:
            graph.follow(user, inviter)
    return user
