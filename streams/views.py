"""Post streams (App.net's, and pnut's under their paths): personal, unified, global, a user's
posts and mentions, a hashtag; and App.net's stream markers. Each is a page of
``streams.services.page``."""

from __future__ import annotations

from dataclasses import replace

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.permissions import ANY_TOKEN, PUBLIC, user_token
from adn_api.views import ApiView
from messaging.services.reading import update_markers
from posts.options import query_flag
from users.services.lookup import get_user

from .serializers import marker_data
from .services.page import Stream


class PersonalStreamView(ApiView):
    """The viewer's materialised stream (``unified``: with their mentions merged in). App.net
    leaves directed posts out by default; pnut routes it with ``stream_defaults`` keeping them."""

    access = {"GET": user_token("stream")}
    unified = False
    unified_marker = "unified"  # pnut: the unified stream shares the personal one's marker
    stream_defaults = {"include_directed_posts": False}

    def get(self, request: Request):
        if self.unified:
            return self.stream_response(replace(Stream.unified(), marker=self.unified_marker))
        return self.stream_response(Stream.personal())


class GlobalStreamView(ApiView):
    access = {"GET": PUBLIC}
    humans_only = False  # pnut's global holds no feeds or bots

    def get(self, request: Request):
        return self.stream_response(Stream.global_(humans_only=self.humans_only))


class UserPostsView(ApiView):
    access = {"GET": PUBLIC}
    stream_defaults = {"include_muted": True}  # asking for a muted user's posts shows them
    marked = True  # App.net's user:ID stream marker; pnut has none for a user's posts

    def get(self, request: Request, user_id: str):
        user = get_user(user_id, self.viewer)
        return self.stream_response(Stream.of_user(user, marked=self.marked))


class UserMentionsView(ApiView):
    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, user_id: str):
        user = get_user(user_id, self.viewer)
        own = self.viewer is not None and user_id == "me"
        return self.stream_response(Stream.mentions(user, own=own))


class TagStreamView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request, hashtag: str):
        return self.stream_response(Stream.hashtag(hashtag))


class MarkerView(ApiView):
    """Post streams' markers and channels' (``channel:ID``, which mark the channel read)."""

    access = {"POST": user_token()}

    def post(self, request: Request):
        data = request.data
        items = data if isinstance(data, list) else [data]
        reset = query_flag(request.query_params, "reset_read_id", False)
        markers = update_markers(self.viewer, items, reset_read_id=reset)
        rendered = [marker_data(m, m.name) for m in markers]
        return enveloped(rendered if isinstance(data, list) else rendered[0])
