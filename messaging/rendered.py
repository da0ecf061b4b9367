"""Rendered messages, cached: a channel's page is its messages' ids and versions, the cached
renderings, and the viewer, as a stream's posts are (adn_api/rendered.py, whose scheme this is).

A message's rendering in App.net's or pnut's spelling is the same for every viewer but for its
author's relations to the viewer (``you_follow``…) and where it sits (``pagination_id``). So the
page query (``reading.channel_messages(…, whole=False)``) reads only the messages' ids and the
versions of the rows each shows (``MessageEntry.stamp``: the message, its author, its app); the
renderings are cached under those versions, whatever the cache lacks is read (one query) and
rendered for no viewer, then stored; the viewer's part comes from one viewer-context query.

Never stale for the same reasons as posts: the database raises a row's ``version`` on every
UPDATE (``core.row_versions``): a message deleted, edited, replied to or made sticky, its
author's profile, counters or suspension (and pnut's client count), or its app, each give a new
key; which messages a page holds (blocks, mutes, deletions) is the page query's, never the
cache's. Options whose values are not the rows' own (annotations with their files' signed URLs,
pnut's presence) are rendered whole each time, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from adn_api.dialects import Dialect
from adn_api.rendered import cacheable, kept_renderings, key_prefix
from pnut.channels import messages_to_pnut
from pnut.serializers import pnut_user_flags
from users.serializers import user_viewer_flags
from users.services.viewer import ViewerContext

from .models import Message
from .serializers import MessageOptions, MessagePage, messages_to_adn
from .services.reading import MessageEntry


def _adn_flags(data: dict, context: ViewerContext, user_id: int) -> None:
    data["user"].update(user_viewer_flags(user_id, context))


def _pnut_flags(data: dict, context: ViewerContext, user_id: int) -> None:
    user = data.get("user")
    if isinstance(user, dict):  # include_user=0: only its id
        user.update(pnut_user_flags(user_id, context))


# Each dialect's rendering of a page of messages, and what it adds for a signed-in viewer.
RENDERERS: dict[str, tuple[Callable[[MessagePage], list[dict]], Callable]] = {
    "adn": (messages_to_adn, _adn_flags),
    "pnut": (messages_to_pnut, _pnut_flags),
}


def cached(dialect: Dialect, options: MessageOptions) -> bool:
    """Whether a page of messages in this dialect with these options is rendered from the
    cache (``render_page``) rather than whole."""
    if dialect.name not in RENDERERS or options.annotations:
        return False
    return cacheable(dialect, options.read)


def render_page(
    dialect: Dialect, entries: list[MessageEntry], context: ViewerContext, options: MessageOptions
) -> list[dict]:
    """The page's messages as ``dialect`` renders them for ``context``'s viewer (``cached``
    options; ``context`` holds the viewer's relations to the page's authors)."""
    if not entries:
        return []  # a client polling with since_id, mostly
    prefix = key_prefix(dialect, options.read, "message")
    keys = {entry.id: prefix + ":".join(map(str, entry.stamp)) for entry in entries}
    by_id = kept_renderings(keys, lambda missing: (_render(dialect, missing, options), {}))
    add_flags = RENDERERS[dialect.name][1]
    rendered = []
    for entry in entries:
        shared = by_id.get(entry.id)
        if shared is None:
            continue  # removed between the page's query and the read of its row
        data = dict(shared)  # the renderings are shared: only copies are the viewer's
        if context.authenticated:
            if isinstance(data.get("user"), dict):
                data["user"] = dict(data["user"])
            add_flags(data, context, entry.user_id)
        data["pagination_id"] = str(entry.pagination_id)
        rendered.append(data)
    return rendered


def _render(dialect: Dialect, ids: list[int], options: MessageOptions) -> dict[int, dict]:
    """The messages read (one query) and rendered for no viewer."""
    messages = list(Message.objects.for_rendering().filter(pk__in=ids).order_by("-id"))
    render = RENDERERS[dialect.name][0]
    rendered = render(MessagePage(messages, None, options))
    return dict(zip((m.pk for m in messages), rendered, strict=True))
