"""diaspora's main stream, ``GET /api/v1/streams/main`` (api-documentation: streams): the posts
of the people the viewer follows (diaspora's "sharing with") and their own, newest first.

It is the viewer's personal stream (``streams.services.page``, the same page App.net's
``posts/stream`` and pnut's ``posts/streams/me`` read), its posts rendered from the rendered-post
cache (``adn_api.rendered``) in diaspora's shape. Paging is diaspora's: ``per_page`` and the
``Link`` header, ``before=<id>`` the next (older) page and ``after=<id>`` the previous one.
"""

from __future__ import annotations

from dataclasses import replace

from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.errors import BadRequest
from adn_api.permissions import user_token
from adn_api.rendered import render_page
from adn_api.views import ApiView
from core.paging import Cursor
from streams.services.page import Stream, page

from .pagination import DiasporaPagination

# diaspora shows a stream as a signed-in user sees it on the web: directed posts included,
# deleted ones never (diaspora's post object has no tombstone).
MAIN_STREAM_FILTERS = {"include_directed_posts": True}


class MainStreamView(ApiView):
    """Your main stream: the posts of the people you follow and your own, newest first.
    ``per_page`` (default 15, at most 100); follow the ``Link`` header: ``before=<id>`` is the
    next (older) page, ``after=<id>`` the previous one."""

    dialect = DIASPORA
    access = {"GET": user_token("public:read")}
    stream_defaults = MAIN_STREAM_FILTERS

    def get(self, request: Request):
        paging = DiasporaPagination(request)
        if paging.page > 1:
            raise BadRequest("The main stream pages by its Link header (before, after).")
        if paging.after is not None:  # the previous page: the oldest after it, newest first
            cursor = Cursor(count=-paging.per_page, since_id=paging.after)
        else:
            cursor = Cursor(count=paging.per_page, before_id=paging.before)
        options = self.options_for()
        options = replace(options, filters=replace(options.filters, include_deleted=False))
        # Its posts show the people they mention: the page's versions cover them too.
        stream = Stream.personal()
        result = page(self.viewer, stream, options.filters, cursor, mention_versions=True)
        entries = result.entries
        paging.rows, paging.field, paging.newest_first = entries, "pagination_id", True
        if paging.after is not None:
            paging.has_previous, paging.has_next = result.more, True
        else:
            paging.has_next, paging.has_previous = result.more, paging.before is not None
        data = render_page(self.dialect, entries, self.viewer, options)
        return Response(data, headers=paging.headers())
