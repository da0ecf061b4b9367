"""Conversations: diaspora's private threads, each a PM channel with a subject.

diaspora starts a new conversation each time one is created, even among the same people, so a
conversation is a PM channel of its own: it takes the users' ``pm_key`` when no PM channel of
theirs has it yet (App.net's ``channels/pm/messages`` then finds it), and none otherwise. Its
subject is an annotation of the channel (``SUBJECT_ANNOTATION``), which App.net and pnut
clients see as any other. Hiding a conversation is muting its channel: the user is unsubscribed
and not brought back by new messages. Read state is the ``Unread`` rows, as everywhere else.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from core.errors import Reason, Refused, invalid
from core.inputs import storable_text
from users.models import User

from ..models import Channel, ChannelAcl, ChannelMute, Message, Subscription, Unread
from ..options import MAX_ACL_USERS, PM
from .messages import _check_not_blocked, _insert, _prepare, destination_ids, pm_key
from .reading import marker_name, update_markers

SUBJECT_ANNOTATION = "org.diaspora.conversation"
MAX_SUBJECT_LENGTH = 255


def subject_of(channel: Channel) -> str | None:
    """The conversation's subject, or None (a PM channel made by App.net or pnut has none)."""
    for annotation in channel.annotations or []:
        if isinstance(annotation, dict) and annotation.get("type") == SUBJECT_ANNOTATION:
            value = annotation.get("value")
            if isinstance(value, dict) and isinstance(value.get("subject"), str):
                return value["subject"]
    return None


def recipient_ids(recipients) -> list[int]:
    """Ids of the active users named by guid or username. Refuses (invalid) anything but a
    non-empty list of strings, more than ``MAX_ACL_USERS`` names, and a name that is no one's."""
    if not isinstance(recipients, list) or not recipients:
        raise invalid("recipients is required: a list of user guids or usernames.")
    if len(recipients) > MAX_ACL_USERS:
        raise invalid(
            f"recipients may name at most {MAX_ACL_USERS} users; {len(recipients)} were given."
        )
    if not all(isinstance(r, str) and r.strip() and storable_text(r) for r in recipients):
        raise invalid("recipients must hold user guids or usernames.")
    wanted = {r.strip() for r in recipients}
    lowered = {w.lower() for w in wanted}
    rows = (
        User.objects.annotate(lower_name=Lower("username"))
        .filter(is_active=True)
        .filter(Q(guid__in=wanted) | Q(lower_name__in=lowered))
    )
    found = {}
    for pk, guid, username in rows.values_list("pk", "guid", "username"):
        found[guid] = pk
        found[username.lower()] = pk
    missing = [w for w in wanted if w not in found and w.lower() not in found]
    if missing:
        raise invalid(f"recipients: no user {sorted(missing)[0][:40]!r}.")
    return list(dict.fromkeys(found.get(w, found.get(w.lower())) for w in recipients))


def _conversation_channel(author: User, others: list[int], subject: str) -> Channel:
    key = pm_key([author.pk, *others])
    fields = {
        "type": PM,
        "owner": author,
        "readers_immutable": True,
        "writers_immutable": True,
        "editors_immutable": True,
        "annotations": [{"type": SUBJECT_ANNOTATION, "value": {"subject": subject}}],
    }
    try:
        with transaction.atomic():
            channel = Channel.objects.create(pm_key=key, **fields)
    except IntegrityError:  # these users have their PM channel already: this one is another
        channel = Channel.objects.create(pm_key=None, **fields)
    ChannelAcl.objects.bulk_create(
        [ChannelAcl(channel=channel, user_id=pk, role=ChannelAcl.Role.WRITE) for pk in others]
    )
    return channel


def start_conversation(
    author: User, recipients: list[int], *, subject, text, source=None
) -> tuple[Channel, Message]:
    """A new conversation of ``author`` and ``recipients`` (user ids) with its first message.
    Refuses (invalid) a missing or over-long subject, bad recipients and whatever a PM's
    message would be refused for; (blocked) a block either way with a recipient. Nothing is
    written then."""
    if not isinstance(subject, str) or not subject.strip():
        raise invalid("subject is required.")
    if not storable_text(subject):
        raise invalid("subject holds characters that cannot be stored (NUL).")
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise invalid(f"subject is at most {MAX_SUBJECT_LENGTH} characters.")
    others = destination_ids(author, recipients)
    _check_not_blocked(author, others)
    prepared = _prepare(author, text=text, source=source, pm=True)
    with transaction.atomic():
        channel = _conversation_channel(author, others, subject.strip())
        message = _insert(author, channel, prepared)
    return Channel.objects.select_related("owner").get(pk=channel.pk), message


def conversations_of(user: User) -> QuerySet:
    """The PM channels ``user`` is in and has not hidden, each with ``has_unread``."""
    hidden = ChannelMute.objects.filter(channel=OuterRef("pk"), user=user)
    unread = Unread.objects.filter(channel=OuterRef("pk"), user=user)
    return (
        Channel.objects.visible_to(user)
        .filter(type=PM)
        .exclude(Exists(hidden))
        .annotate(has_unread=Exists(unread))
    )


def get_conversation(user: User, channel_id: int) -> Channel:
    """One of ``user``'s conversations; refused (not found) if it is not theirs or hidden."""
    channel = conversations_of(user).select_related("owner").filter(pk=channel_id).first()
    if channel is None:
        raise Refused(Reason.NOT_FOUND, f"No conversation {channel_id}.", subject="conversation")
    return channel


def set_read(user: User, channel: Channel, read: bool) -> None:
    """Mark the conversation read (its ``channel:ID`` marker moves to its newest message) or
    unread (its newest message is unread again, for a subscriber)."""
    top = channel.recent_message_id
    if top is None:
        return
    if read:
        update_markers(user, [{"name": marker_name(channel), "id": str(top)}], reset_read_id=False)
    elif Subscription.objects.filter(channel=channel, user=user).exists():
        Unread.objects.bulk_create(
            [Unread(user=user, channel=channel, message_id=top, kind=channel.type)],
            ignore_conflicts=True,
        )
