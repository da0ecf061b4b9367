"""``GET posts/search`` in App.net's and pnut's shapes: one page of matching posts, newest first
(``order=id``, paged by id like any stream) or best first (``order=score``: the top ``count``,
which a later page cannot continue, so ``since_id``/``before_id`` are refused there). Either is
rendered as a post stream is, from the rendered-post cache (``adn_api.rendered``)."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import PUBLIC
from adn_api.rendered import render_page
from adn_api.views import ApiView
from core.errors import invalid

from .services import PostSearch, entries, search_page, search_posts


class PostSearchView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request):
        search = PostSearch.parse(request.query_params)
        options = self.options_for()
        cursor = read_cursor(request)
        if search.order == "score":
            rows = search_posts(self.viewer, search, options.filters).for_rendering()
            if cursor.since_id is not None or cursor.before_id is not None or cursor.count < 0:
                raise invalid("order=score returns one page: since_id and before_id do not apply.")
            found = entries(list(rows.order_by("-score", "-id")[: cursor.count + 1]))
            items, more = found[: cursor.count], len(found) > cursor.count
        else:
            result = search_page(self.viewer, search, options.filters, cursor)
            items, more = result.items, result.more
        data = render_page(self.dialect, items, self.viewer, options)
        return enveloped(data, page_meta(items, more))
