"""Finding the channels and messages named in URLs and bodies, checking what the caller may do
with them, and locking a channel for a change.

A channel the caller may not read is a 404 (as if it did not exist); one they may read but not
write to (or edit) is a 403. Every change to a channel's counters or its recent message locks
the channel row first (``lock_channel``), so concurrent messages queue on it.
"""

from __future__ import annotations

from django.db.models import Expression, QuerySet

from core.compiled import Slots, compiled
from core.errors import Reason, Refused, invalid
from core.inputs import parse_id
from posts.options import BY_ID, PostFilters
from users.models import User

from ..models import Channel, ChannelAcl, Message
from ..models.channel import marker_fields

MAX_IDS = 200


def get_channel(channel_id: str | int, viewer: User | None, *, include_pm: bool = True) -> Channel:
    """The channel if ``viewer`` may read it; refused as not found otherwise (PM channels too
    when ``include_pm`` is False: a token without the ``messages`` scope)."""
    pk = parse_id(str(channel_id), "channel id")
    channel = (
        Channel.objects.visible_to(viewer, include_pm=include_pm)
        .for_rendering(viewer)
        .filter(pk=pk)
        .first()
    )
    if channel is None:
        raise Refused(Reason.NOT_FOUND, f"No channel {pk}.", subject="channel")
    return channel


FIELDS = tuple(field.attname for field in Channel._meta.concrete_fields)


def channel_query(slots: Slots, *, signed_in: bool, **more: Expression) -> QuerySet:
    """The channel's own fields if the viewer may read it, with the viewer's ``channel:ID``
    marker (``marker_fields``) and ``more`` columns after them."""
    viewer = slots.viewer if signed_in else None
    rows = Channel.objects.visible_to(viewer).filter(pk=slots.channel)
    if signed_in:
        more = {"marker": marker_fields(slots.viewer), **more}
    return rows.annotate(**more).values_list(*FIELDS, *more)


def _channel_query(slots: Slots, *, signed_in: bool) -> QuerySet:
    return channel_query(slots, signed_in=signed_in)


def channel_from_row(pk: int, rows: list[tuple], signed_in: bool) -> Channel:
    """The channel of ``channel_query``'s rows (refused as not found when there are none)."""
    if not rows:
        raise Refused(Reason.NOT_FOUND, f"No channel {pk}.", subject="channel")
    channel = Channel(**dict(zip(FIELDS, rows[0], strict=False)))
    channel.marker_fields = rows[0][len(FIELDS)] if signed_in else None
    return channel


def channel_to_read(channel_id: str | int, viewer: User | None) -> Channel:
    """``get_channel`` for reading its messages: the channel's own fields and the viewer's
    ``channel:ID`` marker (``marker_fields``), in one query compiled once (every chat client
    polls a channel's messages); no owner or recent message joined."""
    pk = parse_id(str(channel_id), "channel id")
    signed_in = viewer is not None
    values = {"channel": pk, **({"viewer": viewer.pk} if signed_in else {})}
    return channel_from_row(
        pk, compiled(_channel_query, signed_in=signed_in).run(**values), signed_in
    )


def parse_ids(ids: str | None, name: str) -> list[int]:
    if ids is None:
        raise invalid(f"ids is required: a comma-separated list of {name} ids.")
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
    return list(dict.fromkeys(parse_id(part, f"{name} id") for part in parts))


def lock_channel(pk: int) -> Channel:
    """Lock the channel row for the rest of the transaction and read it afresh. The lock is
    FOR NO KEY UPDATE: it queues writers of the channel all the same, but lets a fan-out's
    unread rows (whose foreign key takes KEY SHARE on the channel) in, where FOR UPDATE
    deadlocked a message against the previous one's fan-out (it holds the subscriptions FOR
    SHARE while the message updates its author's subscription)."""
    channel = (
        Channel.objects.select_for_update(of=("self",), no_key=True)
        .select_related("owner")
        .filter(pk=pk)
    )
    found = channel.first()
    if found is None:
        raise Refused(Reason.NOT_FOUND, f"No channel {pk}.", subject="channel")
    return found


def roles_of(user: User | None, channel: Channel) -> set[str]:
    """The ACL roles ``user`` holds on ``channel`` by name (not by any_user or ownership)."""
    if user is None:
        return set()
    return set(ChannelAcl.objects.filter(channel=channel, user=user).values_list("role", flat=True))


def can_edit(user: User | None, channel: Channel, roles: set[str] | None = None) -> bool:
    if user is None:
        return False
    roles = roles_of(user, channel) if roles is None else roles
    return channel.owner_id == user.pk or ChannelAcl.Role.EDIT in roles


def can_write(user: User | None, channel: Channel, roles: set[str] | None = None) -> bool:
    if user is None:
        return False
    roles = roles_of(user, channel) if roles is None else roles
    return (
        channel.writers_any_user
        or can_edit(user, channel, roles)
        or bool(roles & {ChannelAcl.Role.WRITE, ChannelAcl.Role.EDIT})
    )


def check_writer(user: User, channel: Channel) -> None:
    """Refuses (not allowed) a user who may read ``channel`` but not write to it, and any
    write to an inactive channel."""
    if channel.is_inactive:
        raise Refused(
            Reason.NOT_ALLOWED, f"Channel {channel.pk} is inactive: it takes no new messages."
        )
    if not can_write(user, channel):
        raise Refused(Reason.NOT_ALLOWED, f"You may not write to channel {channel.pk}.")


def check_editor(user: User, channel: Channel) -> None:
    if not can_edit(user, channel):
        raise Refused(Reason.NOT_ALLOWED, f"You may not edit channel {channel.pk}.")


def get_message(
    channel: Channel, message_id: str | int, viewer: User | None, filters: PostFilters = BY_ID
) -> Message:
    """A message of ``channel`` that ``viewer`` may read (one's own always: App.net's rule)."""
    pk = parse_id(str(message_id), "message id")
    message = (
        Message.objects.visible_to(viewer, filters)
        .for_rendering()
        .filter(pk=pk, channel=channel)
        .first()
    )
    if message is None:
        raise Refused(
            Reason.NOT_FOUND, f"No message {pk} in channel {channel.pk}.", subject="message"
        )
    return message


def own_message(user: User, channel_id: str | int, message_id: str | int) -> Message:
    """A message ``user`` wrote, found even in a channel they can no longer read (App.net lets
    you always delete what you wrote)."""
    channel_pk = parse_id(str(channel_id), "channel id")
    pk = parse_id(str(message_id), "message id")
    message = Message.objects.select_related("channel").filter(pk=pk, channel_id=channel_pk).first()
    if message is None or (
        message.user_id != user.pk and not Message.objects.visible_to(user).filter(pk=pk).exists()
    ):
        raise Refused(
            Reason.NOT_FOUND, f"No message {pk} in channel {channel_pk}.", subject="message"
        )
    if message.user_id != user.pk:
        raise Refused(
            Reason.NOT_ALLOWED, "You can only delete your own messages.", subject="message"
        )
    return message


def can_read_now(user: User, channel: Channel) -> bool:
    return Channel.objects.visible_to(user).filter(pk=channel.pk).exists()


def find_own_message(user: User, channel_id: str | int, message_id: str | int) -> Message | None:
    """A message ``user`` wrote in that channel, whether or not they can still read it."""
    pk = parse_id(str(message_id), "message id")
    channel_pk = parse_id(str(channel_id), "channel id")
    return Message.objects.for_rendering().filter(pk=pk, channel_id=channel_pk, user=user).first()
