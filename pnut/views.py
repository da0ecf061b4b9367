"""The pnut endpoints whose verbs or answers differ from App.net's; every other pnut route is
an App.net view routed with ``dialect=PNUT`` (pnut/urls.py)."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.dialects import PNUT
from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.formats import iso_z
from adn_api.parsers import body_object
from adn_api.permissions import ANY_TOKEN, PUBLIC, user_token
from adn_api.views import ApiView
from core.inputs import flag_value
from messaging.services.reading import update_markers
from posts.models import can_see
from posts.options import STANDING, query_flag
from posts.services.lookup import get_post
from reposts import services as reposts
from streams.serializers import marker_data
from streams.services.markers import marker_object
from users.models import Presence
from users.services import presence as presence_services
from users.services.lookup import get_user

from . import clients
from .serializers import FROM_PNUT_MARKERS, TO_PNUT_MARKERS, lost_post, token_to_pnut

MAX_MARKERS = 10  # "You may update up to 10 at once" (resources/stream-marker.md)
# The markable streams as pnut names them; channels' are channel:ID.
PNUT_MARKER_NAMES = ("personal", "global", "mentions", "interactions")


class RepostView(ApiView):
    """Both directions answer with the acted-on original, not the repost (pnut's rule)."""

    dialect = PNUT
    access = {"PUT": user_token("write_post"), "DELETE": user_token("write_post")}

    def put(self, request: Request, post_id: str):
        is_nsfw = flag_value(body_object(request).get("is_nsfw", False), "is_nsfw")
        repost, _created = reposts.repost(
            self.viewer, get_post(post_id), source=self.source(), is_nsfw=is_nsfw
        )
        return enveloped(self.post_data(repost.repost_of_id), status=201)

    def delete(self, request: Request, post_id: str):
        original = reposts.unrepost(self.viewer, get_post(post_id))
        if not can_see(self.viewer, original, STANDING):
            # One may always remove one's repost, but is shown no more of a post one lost.
            return enveloped(lost_post(original))
        return enveloped(self.post_data(original.pk))


class TokenView(ApiView):
    dialect = PNUT
    access = {"GET": ANY_TOKEN, "DELETE": ANY_TOKEN}

    def get(self, request: Request):
        return enveloped(token_to_pnut(request.auth, self.user_data))

    def delete(self, request: Request):
        data = token_to_pnut(request.auth, self.user_data)
        request.auth.revoke()
        return enveloped(data)


def presence_data(presence: Presence | None, user) -> dict:
    if presence is None:
        return {"id": str(user.pk), "presence": "offline"}
    return {
        "id": str(presence.user_id),
        "last_seen_at": iso_z(presence.last_seen_at),
        "presence": presence.status,
    }


class PresenceView(ApiView):
    """``GET presence``: who is here (at most the last 15 minutes), newest first."""

    dialect = PNUT
    access = {"GET": PUBLIC}

    def get(self, request: Request):
        rows = list(presence_services.present(self.viewer)[: presence_services.MAX_LISTED])
        return enveloped([presence_data(p, p.user) for p in rows])


class MyPresenceView(ApiView):
    """``PUT users/me/presence`` with ``presence`` (``online`` when left out, ``offline`` to go)."""

    dialect = PNUT
    access = {"PUT": user_token()}
    http_method_names = ["put", "options"]

    def put(self, request: Request):
        status = body_object(request).get("presence", request.query_params.get("presence"))
        presence = presence_services.set_presence(self.viewer, status)
        return enveloped(presence_data(presence, self.viewer))


def _marker_item(item) -> dict:
    """One of pnut's marker objects with the stream's name as kept here (``personal`` is
    App.net's ``my_stream``); any other name is refused in pnut's words."""
    name = item.get("name") if isinstance(item, dict) else None
    marks_channel = isinstance(name, str) and (marker_object(name) or ("",))[0] == "channel"
    if not (name in PNUT_MARKER_NAMES or marks_channel):
        raise BadRequest(f"name must be one of {', '.join(PNUT_MARKER_NAMES)} or channel:ID.")
    return {**item, "name": FROM_PNUT_MARKERS.get(name, name)}


class MarkersView(ApiView):
    """``POST markers``: a list of up to ten markers (one object alone is taken too); every
    item is checked before any is saved (``messaging.services.reading.update_markers``)."""

    dialect = PNUT
    access = {"POST": user_token()}

    def post(self, request: Request):
        data = request.data
        items = data if isinstance(data, list) else [data]
        if not items or len(items) > MAX_MARKERS:
            raise BadRequest(f"Send from 1 to {MAX_MARKERS} markers.")
        parsed = [_marker_item(item) for item in items]
        reset = query_flag(request.query_params, "reset_read_id", False)
        saved = update_markers(self.viewer, parsed, reset_read_id=reset)
        rendered = [
            {**marker_data(m, m.name), "name": TO_PNUT_MARKERS.get(m.name, m.name)} for m in saved
        ]
        return enveloped(rendered if isinstance(data, list) else rendered[0])


class ClientView(ApiView):
    """``GET clients/{client_id}``: a client with its maker and how many posts it made."""

    dialect = PNUT
    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, client_id: str):
        return enveloped(clients.client_to_pnut(clients.get_client(client_id), self.user_data))


class UserClientsView(ApiView):
    """``GET users/{user_id}/clients``: the clients a user made, newest first (one query)."""

    dialect = PNUT
    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, user_id: str):
        user = get_user(user_id, self.viewer)
        return enveloped([clients.client_summary(app) for app in clients.clients_of(user)])
