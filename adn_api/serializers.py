"""App.net's rendering of the platform's own objects: the token and the config."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from files.services.files import storage_of


def config_object() -> dict:
    limits = {"annotation_max_bytes": settings.ANNOTATION_MAX_BYTES}
    return {
        "text": {"uri_template_length": {"post_id": 9, "message_id": 12}},
        "user": {**limits, "text_max_length": settings.USER_DESCRIPTION_MAX_LENGTH},
        "file": dict(limits),
        "post": {**limits, "text_max_length": settings.POST_TEXT_MAX_LENGTH},
        "message": {**limits, "text_max_length": 2048},
        "channel": dict(limits),
    }


def token_to_adn(token, render_user: Callable[[object], dict] | None = None) -> dict:
    """App.net's token object: the app, the scopes and, for a user token, the user (rendered by
    ``render_user``, e.g. a view's ``user_data``; left out without one)."""
    app = token.application
    profile = getattr(app, "profile", None) if app is not None else None
    data = {
        "client_id": app.client_id if app else None,
        "app": {
            "client_id": app.client_id if app else None,
            "name": app.name if app else "",
            "link": profile.link if profile else "",
        },
        "scopes": sorted(set(token.scope.split())),
    }
    if token.user is not None:
        data["limits"] = {"following": 40000, "max_file_size": settings.FILE_MAX_BYTES}
        data["storage"] = storage_of(token.user)
        data["invite_link"] = invite_link(token.user)
        if render_user is not None:
            data["user"] = render_user(token.user)
    return data


def invite_link(user) -> str:
    """The user's invite link (App.net's ``join.app.net/from/…``): the signup page naming them
    as ``from``, which makes the new account follow them (``users.services.signup``)."""
    return f"{settings.PUBLIC_URL}{reverse('signup')}?{urlencode({'from': user.username})}"
