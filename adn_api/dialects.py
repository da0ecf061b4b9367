"""The three dialects the server speaks, each a value views are configured with.

A dialect is a URL prefix, a renderer (its envelope and error shape), its table for domain
refusals, and its spelling of posts and users; the domain calls behind it are the same. A view
says ``dialect = PNUT`` (or is routed with ``as_view(dialect=PNUT)``), and errors raised outside
any view find their dialect by the path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from diaspora.errors import diaspora_refusal
from diaspora.renderers import DiasporaRenderer
from diaspora.serializers import posts_to_diaspora, shows_only_its_rows, with_diaspora_viewer_flags
from pnut.renderers import PnutRenderer
from pnut.serializers import (
    TO_PNUT_MARKERS,
    pnut_user_flags,
    posts_to_pnut,
    users_to_pnut,
    with_pnut_viewer_flags,
)
from posts.serializers import posts_to_adn, with_adn_viewer_flags
from users.serializers import user_viewer_flags, users_to_adn

from . import prefixes
from .envelope import ADNRenderer
from .refusals import envelope_refusal


@dataclass(frozen=True)
class Dialect:
    name: str  # also how its query parameters are named (posts.options.ReadOptions.parse)
    prefix: str
    renderer: type[ADNRenderer]
    refusal: Callable  # (Refused, action) -> ApiError
    render_posts: Callable | None = None  # (posts, viewer, ReadOptions) -> list[dict]
    render_users: Callable | None = None  # (users, viewer, ReadOptions) -> list[dict]
    scopes_header: bool = False  # App.net and pnut: the granted scopes in X-OAuth-Scopes
    # (rendered post, viewer context, streams.services.page.PageEntry) -> a copy of a post
    # ``render_posts`` made for no one with what it shows this viewer on this page (its
    # relations, ``pagination_id``); adn_api/rendered.py caches the rest, never changed.
    with_viewer_flags: Callable | None = None
    # (user id, viewer context) -> the viewer's relations to a user as its user object shows
    # them, added to a user rendered for no one (App.net and pnut)
    user_viewer_flags: Callable | None = None
    # (post, whether the page's stamp covers the people it mentions) -> whether its rendering
    # shows only the rows whose versions key the cache
    cacheable_post: Callable = lambda post, mentions_covered: True
    ignores_bad_count: bool = False  # pnut ignores a count out of range; App.net refuses it
    # The dialect's name for a stream marker kept under another (pnut: "personal").
    marker_names: Mapping[str, str] = field(default_factory=dict)

    def marker_name(self, name: str) -> str:
        return self.marker_names.get(name, name)


# App.net sent the granted scopes in X-OAuth-Scopes too (its authentication docs).
ADN = Dialect(
    "adn",
    prefixes.ADN,
    ADNRenderer,
    envelope_refusal,
    posts_to_adn,
    users_to_adn,
    True,
    with_viewer_flags=lambda data, context, entry: with_adn_viewer_flags(data, context, entry.id),
    user_viewer_flags=user_viewer_flags,
)
PNUT = Dialect(
    "pnut",
    prefixes.PNUT,
    PnutRenderer,
    envelope_refusal,
    posts_to_pnut,
    users_to_pnut,
    True,
    with_viewer_flags=lambda data, context, entry: with_pnut_viewer_flags(data, context, entry.id),
    user_viewer_flags=pnut_user_flags,
    ignores_bad_count=True,
    marker_names=TO_PNUT_MARKERS,
)
DIASPORA = Dialect(
    "diaspora",
    prefixes.DIASPORA,
    DiasporaRenderer,
    diaspora_refusal,
    posts_to_diaspora,
    with_viewer_flags=lambda data, context, entry: with_diaspora_viewer_flags(
        data, context, entry.post_id, entry.user_ids[0]
    ),
    cacheable_post=shows_only_its_rows,
)
DIALECTS = (ADN, PNUT, DIASPORA)


def dialect_for_path(path: str) -> Dialect | None:
    for dialect in DIALECTS:
        if path.startswith(f"/{dialect.prefix}"):
            return dialect
    return None


def renderer_for_path(path: str) -> ADNRenderer | None:
    dialect = dialect_for_path(path)
    return dialect.renderer() if dialect else None
