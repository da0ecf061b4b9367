"""The pnut endpoints whose verbs or answers differ from App.net's; every other pnut route is
an App.net view routed with ``dialect=PNUT`` (pnut/urls.py)."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.dialects import PNUT
from adn_api.envelope import enveloped
from adn_api.formats import iso_z
from adn_api.parsers import body_object
from adn_api.permissions import ANY_TOKEN, PUBLIC, user_token
from adn_api.views import ApiView
from core.inputs import flag_value
from posts.models import can_see
from posts.options import STANDING
from posts.services.lookup import get_post
from reposts import services as reposts
from users.models import Presence
from users.services import presence as presence_services

from .serializers import lost_post, token_to_pnut


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
