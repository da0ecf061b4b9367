"""Reading channels and messages, unread state and stream markers.

Every read of messages goes through ``Message.objects.visible_to`` and of channels through
``Channel.objects.visible_to`` (messaging.models.visibility). Unread state is the ``Unread``
rows the fan-out writes: counting a user's unread channels reads only their own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connections, router, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast, Coalesce, Extract, Greatest

from core.compiled import Slots, compiled
from core.errors import Reason, Refused, invalid
from core.inputs import parse_id, storable_text
from core.paging import Cursor, Page, finish, paginate, window
from posts.options import PostFilters
from streams.models import StreamMarker
from streams.services.markers import marker_object, object_marker, parse_marker, save_marker
from streams.services.page import POST_STAMP
from users.models import User, user_relation, visible_users
from users.services.lookup import get_user
from users.services.viewer import ViewerContext

from ..models import Channel, ChannelMute, Message, Subscription, Unread
from ..models.visibility import readable_channels, visible_messages
from ..options import BROADCAST, PM
from .lookup import channel_from_row, channel_query, channel_to_read, get_channel, parse_ids


def marker_name(channel: Channel | int) -> str:
    return object_marker("channel", channel if isinstance(channel, int) else channel.pk)


def _marked_channel(name: str) -> int | None:
    """The channel a ``channel:ID`` marker name marks; None for other markers."""
    found = marker_object(name)
    return found[1] if found and found[0] == "channel" else None


# Per message of a page: the version of every row its rendering shows (core.row_versions), the
# same rows as a post's -- itself, its author, its app -- read instead of the rows: the
# renderings come from a cache under these versions (messaging/rendered.py).
MESSAGE_STAMP = POST_STAMP


@dataclass
class MessageEntry:
    """One message of a page, before its rows are read: enough to find its rendering in a
    cache and the viewer's relations to its author."""

    id: int
    user_id: int
    stamp: tuple  # the versions of the rows it shows; a new value for any change of them
    pagination_id: int | None = None

    @classmethod
    def from_row(cls, values: tuple) -> MessageEntry:
        stamp = tuple(v.timestamp() if isinstance(v, datetime) else v for v in values)
        return cls(values[0], values[2], stamp)


def _page_ids(slots: Slots, cursor: Cursor, filters: PostFilters, signed_in: bool) -> QuerySet:
    """The ids of the page of the channel's messages the viewer may read, from the messages'
    table alone (``visible_messages``' conditions are per row there): so even the generic plan
    of the prepared statement reads the channel's newest from its index and stops, for a PM of
    three messages and a room of thousands alike. Its rows are joined to it by id."""
    viewer = slots.viewer if signed_in else None
    rows = Message.objects.filter(
        visible_messages(viewer, filters, channel_readable=True), channel_id=slots.channel
    )
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    return window(rows, cursor, since, before).values("pk")


def _messages_query(
    slots: Slots, *, cursor: Cursor, filters: PostFilters, signed_in: bool, whole: bool
) -> QuerySet:
    """The page's rows with their authors and apps joined (``whole``), or only their versions."""
    ids = _page_ids(slots, cursor, filters, signed_in)
    rows = Message.objects.filter(pk__in=ids).order_by("-id" if cursor.count > 0 else "id")
    return rows.for_rendering() if whole else rows.values_list(*MESSAGE_STAMP)


def _page_values(channel: int, viewer: User | None, cursor: Cursor) -> dict[str, int]:
    """The values of a compiled page's stand-ins."""
    values = {"channel": channel}
    if viewer is not None:
        values["viewer"] = viewer.pk
    values.update(cursor.bounds())
    return values


def channel_messages(
    viewer: User | None,
    channel: Channel,
    filters: PostFilters,
    cursor: Cursor,
    *,
    whole: bool = True,
) -> Page:
    """A page of the messages of ``channel`` (which the viewer was allowed to find) that the
    viewer may read, newest first: one query, compiled once per shape (``core.compiled``) and
    prepared once per connection, as every chat client polls it. Its items are the messages
    (``whole``) or their ``MessageEntry`` (for the rendered-message cache)."""
    cursor = cursor.plain()
    query = compiled(
        _messages_query,
        cursor=cursor.shape(),
        filters=filters,
        signed_in=viewer is not None,
        whole=whole,
    )
    rows = query.run(**_page_values(channel.pk, viewer, cursor))
    return finish(rows if whole else [MessageEntry.from_row(row) for row in rows], cursor)


# The viewer's relations to each message's author (``users.services.viewer``'s kinds, which a
# message's rendering shows): columns of the page, not a query of their own.
def _relations(viewer: int) -> dict[str, Exists]:
    author = OuterRef("user_id")
    return {
        kind: user_relation(kind, viewer, author)
        for kind in ("you_follow", "follows_you", "you_muted")
    }


def relation_kinds(filters: PostFilters) -> tuple[str, ...]:
    """The relations a page of ``visible_messages`` can hold: never a blocked author (blocks
    leave a page either way), nor a muted one unless ``include_muted``; no one blocks or mutes
    themselves."""
    kinds = ("you_follow", "follows_you")
    return (*kinds, "you_muted") if filters.include_muted else kinds


def _channel_page_query(
    slots: Slots, *, cursor: Cursor, filters: PostFilters, signed_in: bool
) -> QuerySet:
    """``lookup.channel_to_read``'s channel row (if the viewer may read it) with its page as
    one column: each message's ``MESSAGE_STAMP`` and the viewer's relations to its author, in
    the page's order."""
    ids = _page_ids(slots, cursor, filters, signed_in)
    # One bigint array per message (an array of arrays is cheaper for PostgreSQL to build than
    # JSON): the app's ``updated`` as microseconds, the relations as 0 or 1.
    columns = [
        Cast(Extract(name, "epoch") * 1_000_000, BigIntegerField())
        if name == "source__updated"
        else F(name)
        for name in MESSAGE_STAMP
    ]
    if signed_in:
        relations = _relations(slots.viewer)
        columns += [Cast(relations[kind], IntegerField()) for kind in relation_kinds(filters)]
    entry = Func(*columns, template="ARRAY[%(expressions)s]", output_field=BIGINTS)
    page = (
        Message.objects.filter(pk__in=ids)
        .order_by()
        .values("channel_id")
        .annotate(entries=ArrayAgg(entry, order_by="-id" if cursor.count > 0 else "id"))
        .values("entries")
    )
    return channel_query(
        slots, signed_in=signed_in, page=Subquery(page, output_field=ArrayField(BIGINTS))
    )


BIGINTS = ArrayField(BigIntegerField())


def channel_page(
    channel_id: str | int, viewer: User | None, filters: PostFilters, cursor: Cursor
) -> tuple[Channel, Page, ViewerContext]:
    """``channel_to_read``, ``channel_messages(…, whole=False)`` and the viewer's relations to
    the page's authors: on PostgreSQL in one query (every chat client polls it), elsewhere in
    three."""
    cursor = cursor.plain()
    if connections[router.db_for_read(Message)].vendor != "postgresql":
        channel = channel_to_read(channel_id, viewer)
        page = channel_messages(viewer, channel, filters, cursor, whole=False)
        return channel, page, ViewerContext.load(viewer, {e.user_id for e in page.items})
    signed_in = viewer is not None
    query = compiled(
        _channel_page_query, cursor=cursor.shape(), filters=filters, signed_in=signed_in
    )
    pk = parse_id(str(channel_id), "channel id")
    rows = query.run(**_page_values(pk, viewer, cursor))
    channel = channel_from_row(pk, rows, signed_in)
    entries, context = [], ViewerContext(viewer)
    kinds = relation_kinds(filters) if signed_in else ()
    size = len(MESSAGE_STAMP)
    for row in rows[0][-1] or ():
        entries.append(MessageEntry.from_row(tuple(row[:size])))
        for kind, related in zip(kinds, row[size:], strict=True):
            if related:
                context.ids[kind].add(row[2])
    return channel, finish(entries, cursor), context


def sticky_messages(
    viewer: User | None, channel: Channel, filters: PostFilters, cursor: Cursor
) -> Page:
    """A page of the channel's sticky messages the viewer may read, newest first."""
    rows = Message.objects.filter(
        visible_messages(viewer, filters, channel_readable=True), channel=channel, is_sticky=True
    )
    return paginate(rows.for_rendering(), cursor)


def thread_messages(viewer: User, message: Message, filters: PostFilters, cursor: Cursor) -> Page:
    """pnut's thread: a page of the messages of ``message``'s thread (its channel's messages
    with its ``thread_id``: the root and every reply under it) the viewer may read, newest
    first."""
    rows = Message.objects.filter(
        visible_messages(viewer, filters, channel_readable=True),
        channel_id=message.channel_id,
        thread_id=message.thread_id,
    )
    return paginate(rows.for_rendering(), cursor)


def user_messages(
    user: User, filters: PostFilters, cursor: Cursor, *, include_pm: bool = True
) -> Page:
    """A page of the messages ``user`` wrote (in any channel), newest first."""
    rows = Message.objects.visible_to(user, filters).filter(user=user).for_rendering()
    if not include_pm:
        rows = rows.exclude(channel__type=PM)
    return paginate(rows, cursor)


def messages_by_ids(
    viewer: User | None, ids: str | None, filters: PostFilters, *, include_pm: bool = True
) -> list[Message]:
    """The readable messages among a comma-separated list of ids, in the order asked for."""
    wanted = parse_ids(ids, "message")
    rows = Message.objects.visible_to(viewer, filters).for_rendering()
    if not include_pm:
        rows = rows.exclude(channel__type=PM)
    found = rows.in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def channels_by_ids(viewer: User | None, ids: str | None, *, include_pm: bool = True) -> list:
    wanted = parse_ids(ids, "channel")
    rows = Channel.objects.visible_to(viewer, include_pm=include_pm).for_rendering(viewer)
    found = rows.in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def subscribed_channels(
    user: User,
    cursor: Cursor,
    *,
    types: list[str] | None = None,
    include_read: bool = True,
    include_pm: bool = True,
) -> Page:
    """The user's inbox: channels they subscribe to (and may still read), the one with the
    newest message first; ``types`` keeps only those types, ``include_read`` False only
    channels with unread messages. Paged by the channel's newest message id."""
    rows = Channel.objects.visible_to(user, include_pm=include_pm).filter(
        subscriptions__user=user, is_inactive=False
    )
    if types:
        rows = rows.filter(type__in=types)
    if not include_read:
        rows = rows.filter(pk__in=Unread.objects.filter(user=user).values("channel_id"))
    rows = rows.annotate(inbox_id=Coalesce(F("recent_message_id"), 0))
    return paginate(rows.for_rendering(user), cursor, field="inbox_id")


def owned_channels(user: User, cursor: Cursor, *, include_pm: bool = True) -> Page:
    rows = Channel.objects.filter(owner=user, is_inactive=False)
    if not include_pm:
        rows = rows.exclude(type=PM)
    return paginate(rows.for_rendering(user), cursor)


def muted_channels(user: User, *, include_pm: bool = True) -> list[Channel]:
    rows = Channel.objects.visible_to(user, include_pm=include_pm).filter(
        pk__in=ChannelMute.objects.filter(user=user).values("channel_id")
    )
    return list(rows.for_rendering(user).order_by("-id")[:200])


def subscriber_rows(viewer: User | None, channel: Channel) -> QuerySet:
    """The channel's subscriptions whose users the viewer is shown (no one on either side of a
    block with them), for a page of users."""
    return Subscription.objects.filter(visible_users(viewer, "user__"), channel=channel)


def subscriber_ids(viewer: User | None, channels: list[Channel]) -> dict[int, list[str]]:
    """Each channel's subscriber ids (as strings) the viewer is shown, in one query."""
    found: dict[int, list[str]] = {c.pk: [] for c in channels}
    rows = Subscription.objects.filter(
        visible_users(viewer, "user__"), channel__in=list(found)
    ).order_by("id")
    for channel_id, user_id in rows.values_list("channel_id", "user_id"):
        found[channel_id].append(str(user_id))
    return found


def _unread_query(slots: Slots) -> QuerySet:
    return (
        # No channel join: deactivating a channel deletes its unread rows with its subscriptions
        # (``deactivate_channel``), and the fan-out writes rows only beside a subscription it
        # holds locked, so no unread row outlives its channel.
        Unread.objects.filter(user_id=slots.user, kind=slots.text("kind"))
        .values("user_id")
        .annotate(n=Count("channel_id", distinct=True))
        .values_list("user_id", "n")
    )


def num_unread(user: User, kind: str = PM) -> int:
    """How many channels of ``kind`` the user subscribes to (not muted: muting unsubscribes)
    have unread messages: a count over the user's own unread rows of that kind (``Unread.kind``,
    the channel's type), compiled once (clients poll it)."""
    rows = compiled(_unread_query).run(user=user.pk, kind=kind)
    return rows[0][1] if rows else 0


def mark_all_read(user: User, kind: str = BROADCAST) -> int:
    """Mark every channel of ``kind`` read for the user; returns the unread count left (0)."""
    with transaction.atomic():
        subs = Subscription.objects.filter(user=user, channel__type=kind)
        for sub in subs.select_related("channel").select_for_update(of=("self",)):
            top = sub.channel.recent_message_id or 0
            if top > sub.last_read_id:
                Subscription.objects.filter(pk=sub.pk).update(last_read_id=top)
        Unread.objects.filter(user=user, channel__type=kind).delete()
    return 0


def mark_read(user: User, channel_id: int, last_read_id: int) -> None:
    """Messages up to ``last_read_id`` are read: the subscription's mark moves forward (it
    never goes back) and the unread rows it covers go."""
    Subscription.objects.filter(user=user, channel_id=channel_id).update(
        last_read_id=Greatest(F("last_read_id"), last_read_id)
    )
    Unread.objects.filter(user=user, channel_id=channel_id, message_id__lte=last_read_id).delete()


def update_markers(user: User, items: list, *, reset_read_id: bool) -> list[StreamMarker]:
    """Save stream markers: post streams' (``streams.services.markers``) and ``channel:ID``,
    which also marks that channel read up to the marker's ``last_read_id``. Every item is
    checked first (a channel the user may not read is refused, not found); a bad item saves
    nothing."""
    parsed = [parse_marker(item) for item in items]
    for name, _, _ in parsed:
        if (channel_id := _marked_channel(name)) is not None:
            get_channel(channel_id, user)
    saved = []
    with transaction.atomic():
        for name, top_id, percentage in parsed:
            marker = save_marker(user, name, top_id, percentage, reset_read_id)
            if (channel_id := _marked_channel(name)) is not None:
                mark_read(user, channel_id, marker.last_read_id)
            saved.append(marker)
    return saved


def channel_marker(user: User | None, channel: Channel) -> StreamMarker | None:
    if user is None:
        return None
    return StreamMarker.objects.filter(user=user, name=marker_name(channel)).first()


def check_subscriber(user: User, channel: Channel) -> None:
    if not Subscription.objects.filter(user=user, channel=channel).exists():
        raise Refused(Reason.NOT_FOUND, f"You are not subscribed to channel {channel.pk}.")


def search_channels(
    viewer: User | None,
    cursor: Cursor,
    *,
    q: str = "",
    types: list[str] | None = None,
    creator: str | None = None,
    include_pm: bool = True,
    include_inactive: bool = False,
) -> Page:
    """Readable channels by type, creator and words of their ``net.app.core.channel.info``
    annotation (name, description), newest first."""
    rows = Channel.objects.visible_to(viewer, include_pm=include_pm)
    if not include_inactive:
        rows = rows.filter(is_inactive=False)
    if types:
        rows = rows.filter(type__in=types)
    if creator:
        rows = rows.filter(owner=get_user(creator, viewer))
    if q.strip():
        if len(q) > 256 or not storable_text(q):
            raise invalid("q must be text of at most 256 characters.")
        rows = rows.annotate(info=Cast("annotations", TextField())).filter(
            info__icontains=q.strip()
        )
    return paginate(rows.for_rendering(viewer), cursor)


def search_messages(
    viewer: User,
    filters: PostFilters,
    cursor: Cursor,
    *,
    q: str = "",
    channel_ids: str | None = None,
    include_pm: bool = True,
) -> Page:
    """Readable messages whose text holds ``q`` (case-insensitive), newest first."""
    if not isinstance(q, str) or not q.strip() or len(q) > 256 or not storable_text(q):
        raise invalid("query is required: text of at most 256 characters.")
    rows = Message.objects.visible_to(viewer, filters).filter(
        readable_channels(viewer, "channel__"), text__icontains=q.strip()
    )
    if not include_pm:
        rows = rows.exclude(channel__type=PM)
    if channel_ids:
        rows = rows.filter(channel_id__in=parse_ids(channel_ids, "channel"))
    return paginate(rows.for_rendering(), cursor)
