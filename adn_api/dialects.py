"""Which renderer speaks for which URL prefix, for errors raised outside DRF views."""

from __future__ import annotations

from diaspora.renderers import DiasporaRenderer
from pnut.renderers import PnutRenderer

from .envelope import ADNRenderer

# Longest prefix first; dialect apps add theirs here as they land.
RENDERERS_BY_PREFIX: list[tuple[str, type[ADNRenderer]]] = [
    ("/stream/0/", ADNRenderer),
    ("/v1/", PnutRenderer),
    ("/api/v1/", DiasporaRenderer),
]


def renderer_for_path(path: str) -> ADNRenderer | None:
    for prefix, renderer in RENDERERS_BY_PREFIX:
        if path.startswith(prefix):
            return renderer()
    return None
