"""``GET users/me/interactions`` (App.net) and ``GET users/me/actions`` (pnut): one view, the
dialect choosing the actions it has (pnut has no welcome or broadcast ones), their spelling (pnut
says bookmark for star) and that of users and posts.

A page is one query for the rows, their actors (with their follows either way with the viewer;
only ids and versions of those this process held at the viewer's last page) and the viewer's
marker (compiled once per shape: ``services.interactions_page``); its posts are rendered from the
rendered-post cache (``adn_api.rendered.render_page``: the viewer's relations to them, and the
posts no rendering is kept for), and its people from renderings kept the same way under their
row versions, whatever ``count``: three with the token, four when some post was not rendered
yet; pnut's users add their counts of apps to the rows' query.
A page naming broadcast channels reads them and their relations too (three more, whatever their
number). A page shown again unchanged (``signature``: the versions of all it shows) is the one
this process last rendered for the viewer: a client polling its list pays for the query only.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.formats import iso_z
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import user_token
from adn_api.rendered import cacheable, kept_renderings, key_prefix, render_page
from adn_api.views import ApiView
from core.local_cache import LocalCache
from messaging.models import Channel
from messaging.views import channels_data
from pnut.serializers import UserExtras, user_from_adn
from posts.options import ReadOptions
from streams.serializers import marker_data
from users.models import User
from users.serializers import add_user_annotations, user_to_adn
from users.services.viewer import ViewerContext

from . import services
from .models import ACTIONS, FOLLOW, POST_ACTIONS, STAR
from .services import InteractionsPage, PageRow

MARKER = "interactions"

# The page each viewer was last shown, under its ``signature``: a client polling an unchanged
# list gets it again without rendering it (a page's query still runs, and says what changed).
_shown_pages = LocalCache(settings.LOCAL_CACHE_ENTRIES // 8)


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
        options = self.options_for()
        # pnut's users show how many apps each made: counted by the page's query, unless their
        # presence is asked for too (``UserExtras.load`` reads both).
        clients = self.dialect.name == "pnut" and options.counts and not options.presence
        page = services.interactions_page(
            self.viewer, actions, read_cursor(request), marker=MARKER, clients=clients
        )
        signature = self.signature(page, options)
        shown = _shown_pages.get(self.viewer.pk) if signature is not None else None
        if shown is not None and shown[0] == signature:
            return enveloped(*shown[1:])
        groups = services.group(page.rows)
        meta = page_meta([g[0] for g in groups], page.more)
        meta["marker"] = marker_data(page.marker, MARKER)
        data = self.render(groups, options, page.clients)
        if signature is not None:
            _shown_pages.set(self.viewer.pk, (signature, data, meta))
        return enveloped(data, meta)

    def signature(self, page: InteractionsPage, options: ReadOptions) -> tuple | None:
        """Everything the page's rendering shows, as versions: its rows as the query answered
        them (``InteractionsPage.signature``: their actors' and posts' row versions, the marker),
        the viewer's (their relations to the posts and the posts' authors move it, as
        ``ViewerContext`` remembers) and the options. None for a page that shows more (channels,
        whose rows no version here covers; options rendered afresh each time)."""
        if not cacheable(self.dialect, options) or page.names_channels:
            return None
        return (self.dialect.name, options, self.viewer.version, page.signature)

    def render(
        self, groups: list[list[PageRow]], options: ReadOptions, clients: dict[int, int] | None
    ) -> list[dict]:
        entries = {rows[0].post_id: rows[0].post for rows in groups if rows[0].post_id}
        rendered = render_page(self.dialect, list(entries.values()), self.viewer, options)
        posts = {p["id"]: p for p in rendered}
        people = {row.actor_id: row for rows in groups for row in rows}
        users = self.users(people, options, clients)
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

    def users(
        self, rows: dict[int, PageRow], options: ReadOptions, clients: dict[int, int] | None
    ) -> dict[int, dict]:
        """The actors (and the viewer, whom a follow shows) as the dialect renders users: their
        relations to the viewer come with their rows (the viewer has none with themselves: the
        tables refuse them), so no query but for what options ask (annotations' files, pnut's
        presence). Renderings for no viewer are kept under the users' row versions, as posts'
        are (``adn_api.rendered``), and the viewer's relations added to a copy."""
        people = {pk: row.actor for pk, row in rows.items()}
        people[self.viewer.pk] = self.viewer
        context = ViewerContext(self.viewer)
        for pk, row in rows.items():
            if row.you_follow:
                context.ids["you_follow"].add(pk)
            if row.follows_you:
                context.ids["follows_you"].add(pk)
        if not cacheable(self.dialect, options):
            return self.rendered_users(people, context, options, clients)
        prefix = key_prefix(self.dialect, options, "user")

        def for_no_viewer(ids: list[int]) -> tuple[dict[int, dict], dict[int, dict]]:
            missing = {pk: people[pk] for pk in ids}
            return self.rendered_users(missing, ViewerContext(), options, clients), {}

        keys = {pk: f"{prefix}{pk}:{user.version}" for pk, user in people.items()}
        kept = kept_renderings(keys, for_no_viewer)
        flags = self.dialect.user_viewer_flags
        return {pk: {**kept[pk], **flags(pk, context)} for pk in people}

    def rendered_users(
        self,
        people: dict[int, User],
        context: ViewerContext,
        options: ReadOptions,
        clients: dict[int, int] | None,
    ) -> dict[int, dict]:
        listed = list(people.values())
        adn = [user_to_adn(user, context, include_html=options.user_html) for user in listed]
        if options.user_annotations:
            add_user_annotations(adn, listed)
        if self.dialect.name == "pnut":
            if clients is None:
                extras = UserExtras.load((data["id"] for data in adn), options)
            else:
                extras = UserExtras(clients={str(pk): n for pk, n in clients.items()})
            adn = [user_from_adn(data, options, extras) for data in adn]
        return dict(zip(people, adn, strict=True))

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
