"""``posts/stream/explore`` (the list) and ``posts/stream/explore/{slug}`` in App.net's shape,
and pnut's ``posts/streams/explore`` forms; a stream's posts are rendered as any stream's, from
the rendered-post cache (``adn_api.rendered``)."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import PUBLIC
from adn_api.rendered import cacheable, render_page
from adn_api.views import ApiView

from .services import STREAMS, explore_page


class ExploreListView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request):
        base = request.build_absolute_uri(request.path).rstrip("/")
        return enveloped(
            [
                {
                    "slug": e.slug,
                    "title": e.title,
                    "description": e.description,
                    "url": f"{base}/{e.slug}",
                }
                for e in STREAMS.values()
            ]
        )


class ExploreStreamView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request, slug: str):
        options = self.options_for()
        whole = not cacheable(self.dialect, options)
        result = explore_page(self.viewer, slug, options.filters, read_cursor(request), whole=whole)
        data = render_page(self.dialect, result.items, self.viewer, options)
        return enveloped(data, page_meta(result.items, result.more))
