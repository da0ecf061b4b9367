"""Writing and reading interactions. ``record``/``forget`` run inside the caller's transaction
(a follow, star, reply, repost, signup or broadcast channel change and its interaction commit or
roll back together); callers have already locked what they change, and the unique constraints
are the last word.

Reads leave out actors the viewer cannot see (inactive, blocked either way) or has muted, posts
since deleted or machine-only, and channels since deactivated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from django.conf import settings
from django.db import router
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from oauth2_provider.models import get_application_model

from core.compiled import Slots, compiled
from core.errors import Reason, Refused
from core.local_cache import LocalCache
from core.paging import Cursor, finish, window
from posts.models.post import RENDER_RELATIONS
from streams.models import StreamMarker
from streams.services.page import MARKER_FIELDS, POST_STAMP, PageEntry, get_marker
from users.models import Mute, User, user_relation, visible_users

from .models import (
    ACTIONS,
    BROADCAST_SUBSCRIBE,
    BROADCAST_UNSUBSCRIBE,
    OWN_ACTIONS,
    Interaction,
)

POST_RELATIONS = [name for name in RENDER_RELATIONS if not name.startswith("repost_of")]


def record(
    action: str,
    *,
    user_id: int,
    actor_id: int,
    post_id: int | None = None,
    cause_id: int | None = None,
    channel_id: int | None = None,
) -> None:
    """Write the interaction; nobody is told of their own actions (bar the notices about them,
    ``OWN_ACTIONS``), and a repeat is ignored."""
    if user_id == actor_id and action not in OWN_ACTIONS:
        return
    row = Interaction(
        action=action,
        user_id=user_id,
        actor_id=actor_id,
        post_id=post_id,
        cause_id=cause_id,
        channel_id=channel_id,
    )
    Interaction.objects.bulk_create([row], ignore_conflicts=True)


def record_subscription(action: str, *, user_id: int, actor_id: int, channel_id: int) -> None:
    """A subscriber's latest ``broadcast_subscribe`` or ``broadcast_unsubscribe`` on a channel
    (the caller holds the channel's lock): it replaces the other, so the row is current."""
    Interaction.objects.filter(
        action__in=[BROADCAST_SUBSCRIBE, BROADCAST_UNSUBSCRIBE],
        actor_id=actor_id,
        channel_id=channel_id,
    ).exclude(action=action).delete()
    record(action, user_id=user_id, actor_id=actor_id, channel_id=channel_id)


def forget(action: str, *, actor_id: int, **match: int) -> None:
    """Remove the interaction an undone action had written (``post_id=``, ``user_id=`` or
    ``cause_id=`` say which)."""
    Interaction.objects.filter(action=action, actor_id=actor_id, **match).delete()


def forget_caused_by(post_ids: Iterable[int]) -> None:
    """Remove the interactions made by these posts (a reply deleted as a tombstone)."""
    Interaction.objects.filter(cause_id__in=list(post_ids)).delete()


def parse_actions(value: str | None, aliases: dict[str, str] | None = None) -> list[str] | None:
    """A comma-separated list of actions (in a dialect's spelling, ``aliases``) or None for all.
    Unknown names match nothing rather than failing, as the docs leave them unspecified."""
    if value is None or not value.strip():
        return None
    aliases = aliases or {}
    names = [aliases.get(part.strip(), part.strip()) for part in value.split(",")]
    return [name for name in names if name in ACTIONS]


def visible_interactions(viewer: User | int, actions: list[str] | None = None) -> QuerySet:
    """The viewer's interactions as a list shows them (newest first is the caller's order)."""
    rows = Interaction.objects.filter(visible_users(viewer, "actor__"), user=viewer).exclude(
        Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("actor_id")))
    )
    # Posts no stream shows (deleted, machine-only) take their interactions off the list, and
    # so do deactivated channels.
    rows = rows.filter(Q(post__isnull=True) | Q(post__is_deleted=False, post__machine_only=False))
    rows = rows.filter(Q(channel__isnull=True) | Q(channel__is_inactive=False))
    if actions is not None:
        rows = rows.filter(action__in=actions)
    return rows


def interactions_for(viewer: User | int, actions: list[str] | None = None) -> QuerySet:
    """``visible_interactions`` with their actors and posts, joined as a post stream renders
    them. An interaction's post is never a repost (starring, reposting or replying to a repost
    acts on its original), so the joins of a repost's original are left out."""
    rows = visible_interactions(viewer, actions)
    return rows.select_related("actor", "post", *(f"post__{name}" for name in POST_RELATIONS))


@dataclass(slots=True)
class PageRow:
    """One interaction of a page as it is rendered: its actor's row (``_page_rows``), its post
    as the rendered-post cache takes it (ids and versions: ``adn_api.rendered``), and the
    viewer's follows either way with the actor (blocks and mutes leave an actor off the list,
    so those are never set)."""

    id: int
    action: str
    created_at: datetime
    actor_id: int
    post_id: int | None
    channel_id: int | None
    actor: User
    post: PageEntry | None
    you_follow: bool
    follows_you: bool
    pagination_id: int | None = None


Row = TypeVar("Row", Interaction, PageRow)
ROW_FIELDS = ("id", "action", "created_at", "actor_id", "post_id", "channel_id")
# The actor's columns its rendering reads (not the account's own: ``User.ACCOUNT_FIELDS``).
USER_FIELDS = tuple(
    field.attname
    for field in User._meta.concrete_fields
    if field.attname not in User.ACCOUNT_FIELDS
)
# What tells a held actor from a changed one: id and version, and the other columns.
ACTOR_KEY_FIELDS = ("id", "version")
ACTOR_FIELDS = tuple(name for name in USER_FIELDS if name not in ACTOR_KEY_FIELDS)
# An actor's id and row version as one integer, for the page query to match against the actors
# this process holds (a version reaches KEY_SPAN only after 4 billion changes of its row; such an
# actor is read whole each time, so no two (id, version) share a key).
KEY_SPAN = 2**32

# The actors of each viewer's last page, as this process read them. The next page of the same
# viewer (a client polling its list) names them to its query, which sends the columns only of
# actors changed since or not among them: a page read again ships ids and versions, not rows.
_held_actors = LocalCache(settings.LOCAL_CACHE_ENTRIES)


class InteractionsPage:
    """A page as its query answered it. Its ``rows`` are built when first asked for (a page
    shown again unchanged needs only its ``signature``), and keep their actors for the
    viewer's next page (``_held_actors``)."""

    def __init__(
        self,
        viewer: User,
        found: list[tuple],
        cursor: Cursor,
        held: dict[int, User],
        marker: StreamMarker | None,
        count_clients: bool,
    ):
        self.viewer, self.found, self.cursor, self.held = viewer, found, cursor, held
        self.marker = marker
        self.more = len(found) > abs(cursor.count)
        # With ``clients``: how many apps the actors and the viewer made (pnut's user counts).
        self.clients: dict[int, int] | None = None
        if count_clients and found:
            at = len(ROW_FIELDS) + len(USER_FIELDS) + len(POST_STAMP) + 2
            self.clients = {values[3]: values[at] or 0 for values in found}
            self.clients[viewer.pk] = found[0][at + 1] or 0

    @property
    def signature(self) -> tuple:
        """What the page shows, as the query answered it: the marker, and each row but its
        actor's columns, whose version stands for them (with the follows and app counts)."""
        actor, stamp = len(ROW_FIELDS), len(ROW_FIELDS) + len(USER_FIELDS)
        version = actor + USER_FIELDS.index("version")
        rows = tuple((*values[:actor], values[version], *values[stamp:]) for values in self.found)
        marker = self.marker and tuple(getattr(self.marker, name) for name in MARKER_FIELDS)
        return marker, rows

    @property
    def names_channels(self) -> bool:
        at = ROW_FIELDS.index("channel_id")
        return any(values[at] is not None for values in self.found)

    @cached_property
    def rows(self) -> list[PageRow]:
        rows = _page_rows(self.found, self.held)
        _held_actors.set(
            self.viewer.pk,
            {row.actor_id: row.actor for row in rows if row.actor.version < KEY_SPAN},
        )
        return finish(rows, self.cursor).items


def _page_query(
    slots: Slots,
    *,
    actions: tuple[str, ...] | None,
    cursor: Cursor,
    marker: str,
    clients: bool,
    held: bool,
) -> QuerySet:
    """The page's rows; with ``held``, an actor whose key (``KEY_SPAN``) is among the ``held``
    slot's has its columns (but id and version) left NULL: the caller holds them."""
    viewer = slots.viewer
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    rows = visible_interactions(viewer, None if actions is None else list(actions))
    actor = OuterRef("actor_id")
    rows = rows.annotate(
        you_follow=user_relation("you_follow", viewer, actor),
        follows_you=user_relation("follows_you", viewer, actor),
    )
    counts = ()
    if clients:
        apps = get_application_model().objects.order_by().values("user_id")
        rows = rows.annotate(
            actor_clients=_count(apps.filter(user_id=actor)),
            viewer_clients=_count(apps.filter(user_id=viewer)),  # uncorrelated: once
        )
        counts = ("actor_clients", "viewer_clients")
    # Uncorrelated subqueries: PostgreSQL reads the marker once (an InitPlan), not per row.
    mine = StreamMarker.objects.filter(user_id=viewer, name=marker)
    rows = rows.annotate(
        **{f"marker_{name}": Subquery(mine.values(name)[:1]) for name in MARKER_FIELDS}
    )
    actor = {name: F(f"actor__{name}") for name in ACTOR_FIELDS}
    if held:
        # In bigint: an id's column is an integer, and Django would send KEY_SPAN as one.
        span = Value(KEY_SPAN, output_field=BigIntegerField())
        key = Cast("actor_id", BigIntegerField()) * span + F("actor__version")
        rows = rows.annotate(actor_key=ExpressionWrapper(key, output_field=BigIntegerField()))
        known = Q(actor_key__any=slots.held, actor__version__lt=KEY_SPAN)
        actor = {name: Case(When(known, then=None), default=col) for name, col in actor.items()}
    rows = rows.annotate(**{f"actor_{name}": column for name, column in actor.items()})
    fields = (
        *ROW_FIELDS,
        *(f"actor__{n}" if n in ACTOR_KEY_FIELDS else f"actor_{n}" for n in USER_FIELDS),
        # Its post's stamp: an interaction's post is never a repost, so no original's joins.
        *(f"post__{name}" for name in POST_STAMP),
        "you_follow",
        "follows_you",
        *counts,
        *(f"marker_{name}" for name in MARKER_FIELDS),
    )
    return window(rows.values_list(*fields), cursor, since, before)


def _count(apps: QuerySet) -> Subquery:
    return Subquery(apps.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField())


def interactions_page(
    viewer: User, actions: list[str] | None, cursor: Cursor, *, marker: str, clients: bool
) -> InteractionsPage:
    """A page of the viewer's interactions (``visible_interactions``) and the viewer's stream
    marker ``marker``, in one query compiled once per shape (``core.compiled``): building
    and planning its joins took longer than running them. Rows are read as values, not models,
    and a post as its ids and versions, rendered from the rendered-post cache; with
    ``clients``, how many apps each actor and the viewer made (pnut's user counts)."""
    cursor = cursor.plain()
    if actions == []:  # only names of no action: nothing to read
        return InteractionsPage(viewer, [], cursor, {}, get_marker(viewer, marker), clients)
    values = {"viewer": viewer.pk}
    values.update(cursor.bounds())
    held = _held_actors.get(viewer.pk) or {}
    if held:
        values["held"] = [pk * KEY_SPAN + actor.version for pk, actor in held.items()]
    query = compiled(
        _page_query,
        actions=None if actions is None else tuple(actions),
        cursor=cursor.shape(),
        marker=marker,
        clients=clients,
        held=bool(held),
    )
    found = query.run(**values)
    if not found:
        return InteractionsPage(viewer, [], cursor, {}, get_marker(viewer, marker), clients)
    mark = dict(zip(MARKER_FIELDS, found[0][-len(MARKER_FIELDS) :], strict=True))
    kept = None if mark["post_id"] is None else StreamMarker(user_id=viewer.pk, name=marker, **mark)
    return InteractionsPage(viewer, found, cursor, held, kept, clients)


NO_ORIGINAL = (None,) * len(POST_STAMP)  # a stamp's repost half, for a post that is none


def _page_rows(found: list[tuple], held: dict[int, User]) -> list[PageRow]:
    """The rows as ``PageRow``: an actor read once per page, or the one held at its version
    (whose columns the query left out)."""
    db = router.db_for_read(User)
    actors: dict[int, User] = {}
    rows = []
    users, stamps = len(ROW_FIELDS), len(ROW_FIELDS) + len(USER_FIELDS)
    flags = stamps + len(POST_STAMP)
    version = users + USER_FIELDS.index("version")
    for values in found:
        actor_id = values[3]
        actor = actors.get(actor_id)
        if actor is None:
            kept = held.get(actor_id)
            if kept is not None and kept.version == values[version]:
                actor = actors[actor_id] = kept
            else:
                actor = actors[actor_id] = User.from_db(db, USER_FIELDS, values[users:stamps])
        post_id = values[4]
        post = (
            None
            if post_id is None
            else PageEntry.from_row(None, values[stamps:flags] + NO_ORIGINAL)
        )
        rows.append(PageRow(*values[:users], actor, post, values[flags], values[flags + 1]))
    return rows


def group(rows: list[Row]) -> list[list[Row]]:
    """Neighbouring rows (newest first) of one action on one object become one interaction, as
    App.net combines several people starring one post; a group's newest row names it. Rows are
    ``Interaction`` models or a page's ``PageRow`` values."""
    groups: list[list[Row]] = []
    for row in rows:
        last = groups[-1][0] if groups else None
        if last is not None and _object(last) == _object(row):
            groups[-1].append(row)
            continue
        groups.append([row])
    return groups


def _object(row: Interaction | PageRow) -> tuple:
    return row.action, row.post_id, row.channel_id


def get_interaction(viewer: User, pk: int | None, actions: list[str] | None = None) -> Interaction:
    """One of the viewer's interactions as their list shows it (diaspora's notification)."""
    found = interactions_for(viewer, actions).filter(pk=pk).first() if pk else None
    if found is None:
        raise Refused(Reason.NOT_FOUND, f"No notification {pk}.", subject="notification")
    return found


def set_read(viewer: User, pk: int | None, read: bool, actions: list[str] | None = None) -> None:
    get_interaction(viewer, pk, actions)  # someone else's is not found
    Interaction.objects.filter(pk=pk, user=viewer).update(read=read)
