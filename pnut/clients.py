"""pnut's clients: the OAuth applications (django-oauth-toolkit's, with App.net's
``ClientProfile`` link) as pnut's client objects (resources/clients.md).

A client is found by its public ``client_id``; its ``posts`` are the posts made with it that
stand (not deleted, not reposts). The server keeps no description or logo for an app, so
``content`` is empty text and ``logo_image`` an empty string, in the documented types.
"""

from __future__ import annotations

from collections.abc import Callable

from oauth2_provider.models import get_application_model

from adn_api.errors import NotFound
from adn_api.formats import iso_z
from posts.models import Post

from .serializers import PNUT_SCHEMA

Application = get_application_model()
EMPTY_CONTENT = {
    "text": "",
    "html": f"<span {PNUT_SCHEMA}></span>",
    "entities": {"links": [], "mentions": [], "tags": []},
}


def _url(app) -> str:
    profile = getattr(app, "profile", None)
    return profile.link if profile is not None else ""


def get_client(client_id: str):
    app = Application.objects.select_related("profile", "user").filter(client_id=client_id).first()
    if app is None:
        raise NotFound(f"There is no client {client_id}.")
    return app


def clients_of(user) -> list:
    """A user's clients, newest first, in one query."""
    return list(Application.objects.select_related("profile").filter(user=user).order_by("-id"))


def client_summary(app) -> dict:
    """``users/{id}/clients``: ``{id, name, url}``."""
    return {"id": app.client_id, "name": app.name, "url": _url(app)}


def client_to_pnut(app, render_user: Callable[[object], dict]) -> dict:
    """``clients/{id}``: the detailed client; ``user`` only for an app a user made."""
    data = {"created_at": iso_z(app.created)}
    if app.user is not None:
        data["user"] = render_user(app.user)
    data.update(
        {
            "id": app.client_id,
            "url": _url(app),
            "logo_image": "",
            "name": app.name,
            "posts": Post.objects.filter(
                source=app, is_deleted=False, repost_of__isnull=True
            ).count(),
            "content": EMPTY_CONTENT,
        }
    )
    return data
