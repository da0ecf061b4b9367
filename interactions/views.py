"""``GET users/me/interactions`` (App.net) and ``GET users/me/actions`` (pnut): one view, the
dialect choosing the actions it has (pnut has no welcome or broadcast ones), their spelling (pnut
says bookmark for star) and that of users and posts.

A page is one query for the rows (compiled once per shape: ``services.interactions_page``), one
for the viewer's marker, and one for the viewer's relations to every user and post the page
names (the dialect's ``post_page``), whatever ``count``: four with the token. A page naming
broadcast channels reads them and their relations too (three more, whatever their number).
"""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.formats import iso_z
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import user_token
from adn_api.views import ApiView
from messaging.models import Channel
from messaging.views import channels_data
from streams.serializers import marker_data
from streams.services.page import get_marker

from . import services
from .models import ACTIONS, FOLLOW, POST_ACTIONS, STAR, Interaction

MARKER = "interactions"


class InteractionsView(ApiView):
    access = {"GET": user_token()}
    # The dialect's names of actions, where they differ from App.net's.
    spelling: dict[str, str] = {}
    # The actions the dialect has; the others are left off its list.
    kinds: tuple[str, ...] = ACTIONS

    def get(self, request: Request):
        params = request.query_params
        aliases = {theirs: ours for ours, theirs in self.spelling.items()}
        actions = services.parse_actions(
            params.get("interaction_actions")
            or params.get("action_types")
            or params.get("filters"),
            aliases,
        )
        if actions is None and self.kinds != ACTIONS:
            actions = list(self.kinds)
        elif actions is not None:
            actions = [action for action in actions if action in self.kinds]
        result = services.interactions_page(self.viewer, actions, read_cursor(request))
        groups = services.group(result.items)
        meta = page_meta([g[0] for g in groups], result.more)
        meta["marker"] = marker_data(get_marker(self.viewer, MARKER), MARKER)
        return enveloped(self.render(groups), meta)

    def render(self, groups: list[list[Interaction]]) -> list[dict]:
        people = {row.actor_id: row.actor for rows in groups for row in rows}
        if any(rows[0].action == FOLLOW for rows in groups):
            people[self.viewer.pk] = self.viewer
        shown = {rows[0].post_id: rows[0].post for rows in groups if rows[0].post_id}
        page = self.dialect.post_page(
            list(shown.values()), self.viewer, self.options_for(), people.values()
        )
        posts = {p["id"]: p for p in page.render()}
        users = {pk: page.user(user) for pk, user in people.items()}
        channels = self.channels({rows[0].channel_id for rows in groups} - {None})
        data = []
        for rows in groups:
            first = rows[0]
            if first.action == FOLLOW:
                objects = [users[self.viewer.pk]]
            elif first.post_id:
                objects = [posts[str(first.post_id)]] if str(first.post_id) in posts else []
            elif first.channel_id:
                objects = [channels[first.channel_id]] if first.channel_id in channels else []
            else:
                objects = []  # welcome
            actors = list(dict.fromkeys(row.actor_id for row in rows))
            data.append(
                {
                    "action": self.spelling.get(first.action, first.action),
                    "event_date": iso_z(first.created_at),
                    "objects": objects,
                    "users": [users[a] for a in actors],
                    "pagination_id": str(first.pagination_id),
                }
            )
        return data

    def channels(self, ids: set[int]) -> dict[int, dict]:
        """The broadcast channels the page names, as the dialect renders channels (the viewer
        owns them: ``interactions_for`` has left deactivated ones out)."""
        if not ids:
            return {}
        rows = list(Channel.objects.for_rendering(self.viewer).filter(pk__in=ids))
        rendered = channels_data(self, rows)
        return {channel.pk: data for channel, data in zip(rows, rendered, strict=True)}


PNUT_SPELLING = {STAR: "bookmark"}
PNUT_KINDS = POST_ACTIONS  # pnut's actions besides poll_response, which has no rows here
