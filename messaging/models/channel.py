"""A channel and who may do what in it: its ACLs, its subscribers and those who muted it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, JSONObject

from streams.models import StreamMarker

from ..options import PM
from .visibility import readable_channels

# Everything a channel's rendering touches, joined in the page's one query.
RENDER_RELATIONS = (
    "owner",
    "recent_message",
    "recent_message__user",
    "recent_message__source",
    "recent_message__source__profile",
)


class ChannelQuerySet(models.QuerySet):
    def visible_to(self, viewer, *, include_pm: bool = True) -> ChannelQuerySet:
        """The channels ``viewer`` (None: signed out) may read: messaging.models.visibility.
        ``include_pm`` False leaves PM channels out (a token with ``public_messages`` only)."""
        rows = self.filter(readable_channels(viewer))
        return rows if include_pm else rows.exclude(type=PM)

    def for_rendering(self, viewer) -> ChannelQuerySet:
        """With the owner and recent message joined, and the viewer's ``channel:ID`` stream
        marker as ``marker_fields`` (a JSON object), so a page of channels is one query."""
        rows = self.select_related(*RENDER_RELATIONS)
        if viewer is None:
            return rows
        return rows.annotate(marker_fields=marker_fields(viewer.pk))


def marker_fields(viewer_id) -> Subquery:
    """The viewer's ``channel:ID`` stream marker of the outer channel, as one JSON object."""
    marker = StreamMarker.objects.filter(
        user_id=viewer_id, name=Concat(Value("channel:"), Cast(OuterRef("pk"), CharField()))
    ).values(
        fields=JSONObject(
            id=F("post_id"),
            last_read_id=F("last_read_id"),
            percentage=F("percentage"),
            updated_at=F("updated_at"),
            version=F("version"),
            name=F("name"),
        )
    )[:1]
    return Subquery(marker)


class Channel(models.Model):
    """A stream of messages of any reverse-domain ``type`` (``net.app.core.pm``, a Patter room,
    a broadcast channel, an app's own type).

    The owner can always read, write and edit; everyone else is in the ACL rows
    (``ChannelAcl``) or let in by ``any_user`` / ``public``. A PM channel is the one channel of
    its exact set of users: ``pm_key`` (their sorted ids, hashed) is unique, so concurrent
    first messages to the same people find one channel. The counters move only with the
    channel row locked (``services.lookup.lock_channel``).
    """

    type = models.CharField(max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_channels"
    )
    readers_public = models.BooleanField(default=False)
    readers_any_user = models.BooleanField(default=False)
    readers_immutable = models.BooleanField(default=False)
    writers_any_user = models.BooleanField(default=False)
    writers_immutable = models.BooleanField(default=False)
    editors_immutable = models.BooleanField(default=False)
    annotations = models.JSONField(default=list, blank=True)
    pm_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    is_inactive = models.BooleanField(default=False)
    message_count = models.PositiveIntegerField(default=0)
    subscriber_count = models.PositiveIntegerField(default=0)
    recent_message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"]), models.Index(fields=["type"])]

    def __str__(self) -> str:
        return f"{self.type} channel {self.pk}"

    @property
    def is_pm(self) -> bool:
        return self.type == PM


class Subscription(models.Model):
    """A user following a channel (its inbox). The id pages the subscribers list;
    ``last_read_id`` is the ``channel:ID`` stream marker's, kept here so the unread fan-out
    can skip a message the reader has already marked read."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_subscriptions"
    )
    last_read_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "user"], name="subscription_once")
        ]
        indexes = [models.Index(fields=["user", "channel"])]

    def __str__(self) -> str:
        return f"{self.user_id} subscribed to {self.channel_id}"


class ChannelMute(models.Model):
    """A user who muted a channel: unsubscribed, and never subscribed again automatically."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_mutes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "user"], name="channel_mute_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted channel {self.channel_id}"
