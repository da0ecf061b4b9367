"""Messages, the per-reader unread rows their fan-out writes, its outbox, and reports."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import models
from oauth2_provider.models import get_application_model

from posts.options import BY_ID, PostFilters
from users.models import User

from .visibility import visible_messages

RENDER_RELATIONS = ("user", "source", "source__profile")


@cache
def unrendered() -> tuple[str, ...]:
    """What a page of messages (which chat clients poll) leaves out of its one query: the
    authors' account fields and the source app's own, none of which a message shows (its
    source is the app's name, client id and link)."""
    app_fields = get_application_model()._meta.concrete_fields
    return (
        *(f"user__{name}" for name in User.ACCOUNT_FIELDS),
        *(f"source__{f.name}" for f in app_fields if f.name not in ("id", "name", "client_id")),
        "source__profile__password_grant_secret",
        "source__profile__native",
    )


class MessageQuerySet(models.QuerySet):
    def visible_to(self, viewer, filters: PostFilters = BY_ID) -> MessageQuerySet:
        """The messages ``viewer`` (None: signed out) may read: messaging.models.visibility."""
        return self.filter(visible_messages(viewer, filters))

    def for_rendering(self) -> MessageQuerySet:
        return self.select_related(*RENDER_RELATIONS).defer(*unrendered())


class Message(models.Model):
    """A message in a channel: text, html and entities as a post's (the same parser), with
    App.net's threads (``reply_to``, ``thread_id``). A deleted message keeps its row as a
    tombstone (``is_deleted``, no text), as App.net answered it."""

    # No index of its own: ``message_channel_id`` (channel, -id) leads with it. With both, the
    # planner could read a channel by this one and sort it, where the other is already sorted.
    channel = models.ForeignKey(
        "messaging.Channel", on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    entities = models.JSONField(default=dict, blank=True)
    annotations = models.JSONField(default=list, blank=True)
    source = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    thread_id = models.BigIntegerField(null=True)
    num_replies = models.PositiveIntegerField(default=0)
    machine_only = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    is_sticky = models.BooleanField(default=False)  # pnut's sticky messages, kept by editors
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by the database on every UPDATE of the row (core/row_versions.py): part of the key
    # of the message's cached renderings (messaging/rendered.py).
    version = models.BigIntegerField(default=0, db_default=0, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["channel", "-id"], name="message_channel_id"),
            models.Index(fields=["user", "-id"], name="message_user_id"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.channel_id}"


class Unread(models.Model):
    """One unread message for one subscriber: the fan-out inserts it (at most once: the unique
    constraint), a stream marker deletes those it covers. ``has_unread`` and ``num_unread``
    read these rows, never the messages."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("messaging.Channel", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="unreads")
    # The channel's type (which never changes), so ``num_unread`` counts a user's unread PM
    # channels from their PM rows alone, not every unread row of every room they are in.
    kind = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="unread_once")]
        indexes = [
            models.Index(fields=["user", "channel", "message"], name="unread_user"),
            models.Index(fields=["user", "kind", "channel"], name="unread_user_kind"),
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} unread by {self.user_id}"


class MessageFanOut(models.Model):
    """The outbox row of a message's unread fan-out, written in the message's transaction; the
    sweep enqueues it again if the broker did not take it or its worker died (as
    streams.models.FanOut for posts)."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="fan_out")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    delivered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(completed_at__isnull=True),
                name="message_fan_out_pending",
            )
        ]

    def __str__(self) -> str:
        return f"fan-out of message {self.message_id}"
