"""Sending and deleting messages, and the PM channel of an exact set of users.

A message's unread fan-out is recorded in its own transaction (``messaging.tasks``): the outbox
row commits with the message, and readers get their unread row on a worker afterwards.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F

from core.errors import Reason, Refused, invalid
from core.inputs import parse_id
from entities.core import fill_uri_templates, render_html
from entities.options import EntityOptions
from entities.services import process_post_text
from posts.services.posting import checked_content
from users.models import Block, User

from ..models import Channel, ChannelAcl, ChannelMute, Message, Subscription, Unread
from ..options import MAX_ACL_USERS, MESSAGE_TEXT_MAX_LENGTH, PM
from ..tasks import record_fan_out
from .acl import resolve_users
from .lookup import check_editor, check_writer, lock_channel


def pm_key(user_ids) -> str:
    """The one name of the PM channel among exactly these users."""
    joined = ",".join(str(pk) for pk in sorted(set(user_ids)))
    return hashlib.sha256(joined.encode()).hexdigest()


def destination_ids(sender: User, destinations) -> list[int]:
    """The users a PM goes to (ids or ``@username``), the sender left out. Refuses (invalid) an
    empty or too long list and names that are no one's."""
    if not isinstance(destinations, list) or not destinations:
        raise invalid("destinations is required: a list of user ids or @usernames.")
    ids = resolve_users(destinations, "destinations", limit=MAX_ACL_USERS)
    others = [pk for pk in ids if pk != sender.pk]
    if not others:
        raise invalid("destinations must name at least one user besides you.")
    return others


def _check_not_blocked(sender: User, others: list[int]) -> None:
    if Block.objects.filter(blocker_id__in=others, blocked=sender).exists():
        raise Refused(Reason.BLOCKED, "A user in destinations has blocked you.")
    if Block.objects.filter(blocker=sender, blocked_id__in=others).exists():
        raise Refused(Reason.BLOCKED, "You have blocked a user in destinations.")


def find_pm(user: User, destinations) -> Channel | None:
    """The existing PM channel among ``user`` and exactly ``destinations``, or None."""
    others = destination_ids(user, destinations)
    return Channel.objects.filter(pm_key=pm_key([user.pk, *others])).first()


def _pm_channel(sender: User, others: list[int]) -> Channel:
    """The PM channel of these users, made if there is none (the unique ``pm_key`` makes a
    concurrent second creation fail, and that one then finds the first's)."""
    key = pm_key([sender.pk, *others])
    channel = Channel.objects.filter(pm_key=key).first()
    if channel is not None:
        return channel
    try:
        with transaction.atomic():
            channel = Channel.objects.create(
                type=PM,
                owner=sender,
                pm_key=key,
                readers_immutable=True,
                writers_immutable=True,
                editors_immutable=True,
            )
            ChannelAcl.objects.bulk_create(
                [
                    ChannelAcl(channel=channel, user_id=pk, role=ChannelAcl.Role.WRITE)
                    for pk in others
                ]
            )
            return channel
    except IntegrityError:
        return Channel.objects.get(pm_key=key)


def send_pm(author: User, destinations, **message) -> Message:
    """Send a message to the PM channel of ``author`` and exactly ``destinations`` (found, or
    made: App.net's ``channels/pm/messages``). Refuses bad destinations (invalid), a
    destination who blocks the author or whom the author blocks (blocked), and whatever
    ``post_message`` refuses; nothing is written then."""
    others = destination_ids(author, destinations)
    _check_not_blocked(author, others)
    prepared = _prepare(author, **message, pm=True)
    with transaction.atomic():  # a message refused below leaves no new channel behind
        return _insert(author, _pm_channel(author, others), prepared)


def post_message(author: User, channel: Channel, **message) -> Message:
    """Send a message to ``channel`` (which ``author`` was allowed to find). Refuses a reader
    who may not write or an inactive channel (not allowed); text over 2,048 characters, empty
    text without ``machine_only`` and annotations, machine-only messages in PM channels, bad
    annotations or ``reply_to`` (invalid); in a PM channel, someone on either side of a block
    with the author (blocked)."""
    prepared = _prepare(author, **message, pm=channel.is_pm)
    if channel.is_pm:
        members = list(ChannelAcl.objects.filter(channel=channel).values_list("user_id", flat=True))
        _check_not_blocked(author, [pk for pk in {channel.owner_id, *members} if pk != author.pk])
    return _insert(author, channel, prepared)


def _prepare(
    author: User,
    *,
    text="",
    reply_to=None,
    annotations=None,
    entities: EntityOptions | None = None,
    machine_only: bool = False,
    source=None,
    pm: bool = False,
) -> dict:
    if machine_only and pm:
        raise invalid("PM channels take no machine_only messages.")
    text, cleaned = checked_content(author, text, annotations, machine_only, "message")
    processed = process_post_text(text, entities, limit=MESSAGE_TEXT_MAX_LENGTH)
    reply_pk = None
    if reply_to not in (None, ""):
        if isinstance(reply_to, bool) or not isinstance(reply_to, str | int):
            raise invalid("reply_to must be a message id.")
        reply_pk = parse_id(str(reply_to), "reply_to")
    return {
        "processed": processed,
        "annotations": cleaned,
        "machine_only": bool(machine_only),
        "source": source,
        "reply_to": reply_pk,
    }


def _insert(author: User, channel: Channel, prepared: dict) -> Message:
    processed = prepared["processed"]
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        check_writer(author, channel)
        target = None
        if prepared["reply_to"] is not None:
            target = Message.objects.filter(pk=prepared["reply_to"], channel=channel).first()
            if target is None:
                raise invalid(f"reply_to {prepared['reply_to']} is not a message in this channel.")
        message = Message.objects.create(
            channel=channel,
            user=author,
            text=processed.text,
            html=processed.html,
            entities=processed.entities,
            annotations=prepared["annotations"],
            machine_only=prepared["machine_only"],
            source=prepared["source"],
            reply_to=target,
        )
        message.thread_id = target.thread_id if target else message.pk
        filled = fill_uri_templates(message.entities, post_id=message.pk)
        if filled != message.entities:
            message.entities, message.html = filled, render_html(message.text, filled)
        message.save(update_fields=["thread_id", "entities", "html"])
        if target:
            Message.objects.filter(pk=target.pk).update(num_replies=F("num_replies") + 1)
        Channel.objects.filter(pk=channel.pk).update(
            message_count=F("message_count") + 1, recent_message=message
        )
        _subscribe_author(author, channel, message)
        if channel.is_pm:
            _resubscribe_members(channel)
        record_fan_out(message)
    return message


def _subscribe_author(author: User, channel: Channel, message: Message) -> None:
    """Writing reads the channel up to one's own message, and (unless one muted it) one is
    subscribed to where one writes."""
    Unread.objects.filter(user=author, channel=channel, message_id__lt=message.pk).delete()
    if ChannelMute.objects.filter(channel=channel, user=author).exists():
        return
    updated = Subscription.objects.filter(channel=channel, user=author).update(
        last_read_id=message.pk
    )
    if not updated:
        Subscription.objects.bulk_create(
            [Subscription(channel=channel, user=author, last_read_id=message.pk)],
            ignore_conflicts=True,
        )


def _resubscribe_members(channel: Channel) -> None:
    """A PM reaches everyone in it: members who unsubscribed are subscribed again (not those
    who muted it), and get this message as unread."""
    members = {
        channel.owner_id,
        *ChannelAcl.objects.filter(channel=channel).values_list("user_id", flat=True),
    }
    muted = set(ChannelMute.objects.filter(channel=channel).values_list("user_id", flat=True))
    Subscription.objects.bulk_create(
        [Subscription(channel=channel, user_id=pk) for pk in members - muted],
        ignore_conflicts=True,
    )


def delete_message(user: User, message: Message) -> Message:
    """Delete a message of ``user``'s (the caller found it with ``lookup.own_message``): it
    stays as a tombstone, without text, and leaves every unread count. Deleting it again is
    refused (deleted)."""
    with transaction.atomic():
        lock_channel(message.channel_id)
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.is_deleted:
            raise Refused(
                Reason.DELETED, f"Message {message.pk} is already deleted.", subject="message"
            )
        message.is_deleted = True
        message.text = message.html = ""
        message.entities = {"mentions": [], "hashtags": [], "links": []}
        message.save(update_fields=["is_deleted", "text", "html", "entities"])
        Channel.objects.filter(pk=message.channel_id).update(message_count=F("message_count") - 1)
        if message.reply_to_id:
            Message.objects.filter(pk=message.reply_to_id).update(num_replies=F("num_replies") - 1)
        Unread.objects.filter(message=message).delete()
    return Message.objects.for_rendering().get(pk=message.pk)


def set_sticky(user: User, message: Message, sticky: bool) -> Message:
    """Stick a message to its channel, or unstick it (pnut): editors only (not allowed
    otherwise); a deleted message cannot be stuck (deleted)."""
    with transaction.atomic():
        channel = lock_channel(message.channel_id)
        check_editor(user, channel)
        if sticky and message.is_deleted:
            raise Refused(Reason.DELETED, f"Message {message.pk} is deleted.", subject="message")
        Message.objects.filter(pk=message.pk).update(is_sticky=sticky)
    return Message.objects.for_rendering().get(pk=message.pk)
