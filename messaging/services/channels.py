"""Creating, updating and deactivating channels, and subscribing, unsubscribing and muting.

Every change to a channel's ACLs or subscriptions runs with the channel row locked
(``lookup.lock_channel``), so a concurrent message, subscribe or update sees it whole. A
broadcast channel's creation and each real change of its subscribers write App.net's broadcast
interactions (``interactions.services``) in the same transaction.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from core.annotations import validate_annotations
from core.errors import Reason, Refused, invalid
from files.services.annotations import check_references
from interactions import services as interactions
from interactions.models import BROADCAST_CREATE, BROADCAST_SUBSCRIBE, BROADCAST_UNSUBSCRIBE
from users.models import User

from ..models import Channel, ChannelAcl, ChannelMute, Subscription, Unread
from ..options import BROADCAST, MAX_TYPE_LENGTH, PM
from .acl import Acl, parse_acl
from .lookup import can_read_now, check_editor, lock_channel

TYPE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$")
ROLES = (
    ("readers", ChannelAcl.Role.READ),
    ("writers", ChannelAcl.Role.WRITE),
    ("editors", ChannelAcl.Role.EDIT),
)


def check_type(kind) -> str:
    """A reverse-domain channel type; ``net.app.core`` is reserved, bar broadcast channels, and
    PM channels are made only by sending a PM (App.net's rules)."""
    if not isinstance(kind, str) or not kind:
        raise invalid("type is required: a reverse-domain name such as com.example.room.")
    if len(kind) > MAX_TYPE_LENGTH or not TYPE_PATTERN.match(kind):
        raise invalid(
            f"type {kind[:60]!r} is not a reverse-domain name (letters, digits, '_' and '-' "
            f"in at least two dot-separated parts, at most {MAX_TYPE_LENGTH} characters)."
        )
    if kind == PM:
        raise invalid(
            "PM channels cannot be created directly: send a message to channels/pm/messages "
            "with destinations."
        )
    if kind.startswith("net.app.core.") and kind != BROADCAST:
        raise invalid(f"type {kind!r} is in the reserved net.app.core namespace.")
    return kind


def _check_acls(kind: str, readers: Acl, writers: Acl) -> None:
    if kind == BROADCAST and (writers.user_ids or writers.any_user):
        raise invalid(
            "A broadcast channel has no writers besides its owner: make publishers editors."
        )


def _write_acl_rows(channel: Channel, acls: dict[str, Acl]) -> None:
    rows = []
    for role, name in ROLES:
        acl = acls.get(role)
        if acl is not None:
            rows.extend(ChannelAcl(channel=channel, user_id=pk, role=name) for pk in acl.user_ids)
    ChannelAcl.objects.bulk_create(rows, ignore_conflicts=True)


def _apply_flags(channel: Channel, readers: Acl, writers: Acl, editors: Acl) -> None:
    channel.readers_public, channel.readers_any_user = readers.public, readers.any_user
    channel.readers_immutable = readers.immutable
    channel.writers_any_user, channel.writers_immutable = writers.any_user, writers.immutable
    channel.editors_immutable = editors.immutable


def create_channel(
    owner: User, *, type, readers=None, writers=None, editors=None, annotations=None
) -> Channel:
    """A new channel of ``type`` owned (and subscribed to) by ``owner``. Refuses (invalid) a
    malformed or reserved type, malformed ACLs, ACL users that do not exist, and bad
    annotations; nothing is written then."""
    kind = check_type(type)
    acls = {
        "readers": parse_acl(readers, "readers", kind, owner, default=Acl()),
        "writers": parse_acl(writers, "writers", kind, owner, default=Acl()),
        "editors": parse_acl(editors, "editors", kind, owner, default=Acl()),
    }
    _check_acls(kind, acls["readers"], acls["writers"])
    cleaned = check_references(owner, validate_annotations(annotations))
    with transaction.atomic():
        channel = Channel(type=kind, owner=owner, annotations=cleaned)
        _apply_flags(channel, acls["readers"], acls["writers"], acls["editors"])
        channel.save()
        _write_acl_rows(channel, acls)
        Subscription.objects.create(channel=channel, user=owner)
        if kind == BROADCAST:
            interactions.record(
                BROADCAST_CREATE, user_id=owner.pk, actor_id=owner.pk, channel_id=channel.pk
            )
    return channel


def _tell_owner(channel: Channel, user: User, action: str) -> None:
    """A broadcast channel's owner is told who subscribed or unsubscribed (not themselves)."""
    if channel.type == BROADCAST and user.pk != channel.owner_id:
        interactions.record_subscription(
            action, user_id=channel.owner_id, actor_id=user.pk, channel_id=channel.pk
        )


def _current_acl(channel: Channel, role: str, name: str) -> Acl:
    ids = tuple(
        ChannelAcl.objects.filter(channel=channel, role=name)
        .order_by("id")
        .values_list("user_id", flat=True)
    )
    if role == "readers":
        return Acl(ids, channel.readers_any_user, channel.readers_public, channel.readers_immutable)
    if role == "writers":
        return Acl(ids, channel.writers_any_user, False, channel.writers_immutable)
    return Acl(ids, False, False, channel.editors_immutable)


def update_channel(
    user: User, channel: Channel, *, readers=None, writers=None, editors=None, annotations=None
) -> Channel:
    """Change a channel's ACLs (each only if not immutable) and annotations. Refuses (not
    allowed) a user who may not edit it, and (invalid) a change to an immutable ACL or a PM
    channel's, and bad input; nothing is written then."""
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        check_editor(user, channel)
        changes = {"readers": readers, "writers": writers, "editors": editors}
        acls = {}
        for role, name in ROLES:
            current = _current_acl(channel, role, name)
            if changes[role] is None:
                acls[role] = current
                continue
            if current.immutable or channel.is_pm:
                raise invalid(f"The {role} of channel {channel.pk} are immutable.")
            acls[role] = parse_acl(
                changes[role], role, channel.type, channel.owner, default=current
            )
        _check_acls(channel.type, acls["readers"], acls["writers"])
        if annotations is not None:
            channel.annotations = check_references(user, validate_annotations(annotations))
        _apply_flags(channel, acls["readers"], acls["writers"], acls["editors"])
        channel.save()
        changed = [name for role, name in ROLES if changes[role] is not None]
        ChannelAcl.objects.filter(channel=channel, role__in=changed).delete()
        _write_acl_rows(
            channel, {role: acls[role] for role, _ in ROLES if changes[role] is not None}
        )
        # Subscribers who lost the right to read are unsubscribed.
        for sub in Subscription.objects.filter(channel=channel).select_related("user"):
            if not can_read_now(sub.user, channel):
                _drop_subscription(sub.user, channel)
    return channel


def deactivate_channel(user: User, channel: Channel) -> Channel:
    """Mark a channel inactive for good and unsubscribe everyone. Only its owner may (not
    editors); a PM channel cannot be deactivated."""
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        if channel.owner_id != user.pk:
            raise Refused(Reason.NOT_ALLOWED, "Only a channel's owner can deactivate it.")
        if channel.is_pm:
            raise invalid("PM channels cannot be deactivated.")
        channel.is_inactive = True
        channel.save(update_fields=["is_inactive"])
        Subscription.objects.filter(channel=channel).delete()
        Unread.objects.filter(channel=channel).delete()
    return channel


def _drop_subscription(user: User, channel: Channel) -> bool:
    deleted, _ = Subscription.objects.filter(channel=channel, user=user).delete()
    Unread.objects.filter(channel=channel, user=user).delete()
    return bool(deleted)


def subscribe(user: User, channel: Channel) -> Channel:
    """Subscribe ``user`` (who may read the channel: the caller found it through
    ``get_channel``) and unmute it. Subscribing twice is no error. An inactive channel takes
    no subscribers."""
    if channel.is_inactive:
        raise Refused(Reason.NOT_ALLOWED, f"Channel {channel.pk} is inactive.")
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        ChannelMute.objects.filter(channel=channel, user=user).delete()
        try:
            with transaction.atomic():
                Subscription.objects.create(channel=channel, user=user, last_read_id=_top(channel))
        except IntegrityError:
            return channel  # subscribed already
        _tell_owner(channel, user, BROADCAST_SUBSCRIBE)
    return channel


def _top(channel: Channel) -> int:
    # A new subscriber starts with the channel read: the backlog is not unread.
    return channel.recent_message_id or 0


def unsubscribe(user: User, channel: Channel) -> Channel:
    """Unsubscribe ``user``; their unread messages there are gone with the subscription."""
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        if _drop_subscription(user, channel):
            _tell_owner(channel, user, BROADCAST_UNSUBSCRIBE)
    return channel


def mute(user: User, channel: Channel) -> Channel:
    """Mute a channel: unsubscribed, and not subscribed again by new PMs, until unmuted."""
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        if _drop_subscription(user, channel):  # muting unsubscribes, and the owner is told so
            _tell_owner(channel, user, BROADCAST_UNSUBSCRIBE)
        ChannelMute.objects.get_or_create(channel=channel, user=user)
    return channel


def unmute(user: User, channel: Channel) -> Channel:
    """Unmute: one may be subscribed again (it does not happen by itself)."""
    with transaction.atomic():
        channel = lock_channel(channel.pk)
        ChannelMute.objects.filter(channel=channel, user=user).delete()
    return channel
