"""``GET users/me/interactions`` (App.net) and ``GET users/me/actions`` (pnut): one view, the
dialect choosing the spelling of actions (pnut says bookmark for star) and of users and posts.

A page is one query for the rows, then the dialect's renderers over every user and post the
page names at once, so the query count does not grow with ``count``.
"""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.formats import iso_z
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import user_token
from adn_api.views import ApiView
from core.paging import paginate
from streams.serializers import marker_data
from streams.services.page import get_marker

from . import services
from .models import FOLLOW, STAR, Interaction

MARKER = "interactions"


class InteractionsView(ApiView):
    access = {"GET": user_token()}
    # The dialect's names of actions, where they differ from App.net's.
    spelling: dict[str, str] = {}

    def get(self, request: Request):
        params = request.query_params
        aliases = {theirs: ours for ours, theirs in self.spelling.items()}
        actions = services.parse_actions(
            params.get("interaction_actions")
            or params.get("action_types")
            or params.get("filters"),
            aliases,
        )
        result = paginate(services.interactions_for(self.viewer, actions), read_cursor(request))
        groups = services.group(result.items)
        meta = page_meta([g[0] for g in groups], result.more)
        meta["marker"] = marker_data(get_marker(self.viewer, MARKER), MARKER)
        return enveloped(self.render(groups), meta)

    def render(self, groups: list[list[Interaction]]) -> list[dict]:
        people = {row.actor_id: row.actor for rows in groups for row in rows}
        if any(rows[0].action == FOLLOW for rows in groups):
            people[self.viewer.pk] = self.viewer
        users = dict(zip(people, self.users_data(people.values()), strict=True))
        shown = {rows[0].post_id: rows[0].post for rows in groups if rows[0].post_id}
        posts = {p["id"]: p for p in self.posts_data(shown.values())}
        data = []
        for rows in groups:
            first = rows[0]
            if first.action == FOLLOW:
                objects = [users[self.viewer.pk]]
            elif first.post_id:
                objects = [posts[str(first.post_id)]] if str(first.post_id) in posts else []
            else:
                objects = []
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


PNUT_SPELLING = {STAR: "bookmark"}
