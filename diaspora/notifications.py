"""diaspora's notifications: the interactions table (``interactions``) as diaspora shows it, one
notification per row, newest first, each with its ``read`` flag.

``GET notifications`` (``only_unread``, ``only_after``), ``GET notifications/{guid}`` and
``PATCH``/``PUT notifications/{guid}`` with ``read`` (204). A guid is the row's id as 32 hex
digits (``numbered_guid``), as conversations'.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.parsers import body_object
from adn_api.permissions import user_token
from adn_api.views import ApiView
from core.errors import invalid
from core.inputs import flag_value
from interactions import services
from interactions.models import FOLLOW, REPLY, REPOST, STAR, Interaction

from .pagination import DiasporaPagination
from .serializers import diaspora_time, numbered_guid, numbered_id, person
from .views import unread_after

NOTIFY = user_token("notifications")
TYPES = {STAR: "liked", REPOST: "reshared", REPLY: "comment_on_post", FOLLOW: "started_sharing"}
KINDS = list(TYPES)  # diaspora has no notification for App.net's welcome and broadcast actions


def notification(row: Interaction) -> dict:
    target = None
    if row.post_id:
        target = {"guid": row.post.guid, "author": person(row.post.user)}
    return {
        "guid": numbered_guid(row.pk),
        "type": TYPES.get(row.action, row.action),
        "read": row.read,
        "created_at": diaspora_time(row.created_at),
        "event_creators": [person(row.actor)],
        "target": target,
    }


class NotificationsView(ApiView):
    dialect = DIASPORA
    access = {"GET": NOTIFY}
    actions = {"GET": "notifications"}

    def get(self, request: Request):
        rows = unread_after(request, services.interactions_for(self.viewer, KINDS), read=False)
        pagination = DiasporaPagination(request)
        items = pagination.paginate(rows, newest_first=True)
        return Response([notification(r) for r in items], headers=pagination.headers())


class NotificationView(ApiView):
    dialect = DIASPORA
    access = {"GET": NOTIFY, "PATCH": NOTIFY, "PUT": NOTIFY}
    actions = {"PATCH": "notifications", "PUT": "notifications"}

    def get(self, request: Request, guid: str):
        found = services.get_interaction(self.viewer, numbered_id(guid), KINDS)
        return Response(notification(found))

    def patch(self, request: Request, guid: str):
        body = body_object(request)
        if body.get("read") is None:
            raise invalid("read is required: true or false.")
        services.set_read(self.viewer, numbered_id(guid), flag_value(body["read"], "read"), KINDS)
        return Response(status=204)

    put = patch  # Rails routes both to update
