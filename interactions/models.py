"""What other people did to a user (followed them, starred, reposted or replied to their posts,
subscribed to or unsubscribed from their broadcast channel), and App.net's two notices about the
user's own doings (``welcome`` on signing up, ``broadcast_create`` on making a broadcast channel),
one row per event, written by the domain in the same transaction as the event itself.

Reading a user's interactions is then one indexed range over their rows rather than a union of
scans over follows, stars and posts at read time. An undone action (unstar, unfollow, a deleted
reply or repost) removes its row: a partial unique constraint per action keeps a second copy of
the same event from ever being written, whatever the concurrency. A subscriber's
``broadcast_subscribe`` and ``broadcast_unsubscribe`` share one row per channel, the latest of the
two: subscribing again replaces the unsubscribe rather than piling up events. ``read`` is diaspora's
notification flag, the only field that changes after the insert.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from messaging.models import Channel
from posts.models import Post

FOLLOW = "follow"
STAR = "star"
REPOST = "repost"
REPLY = "reply"
WELCOME = "welcome"
BROADCAST_CREATE = "broadcast_create"
BROADCAST_SUBSCRIBE = "broadcast_subscribe"
BROADCAST_UNSUBSCRIBE = "broadcast_unsubscribe"
BROADCAST_ACTIONS = (BROADCAST_CREATE, BROADCAST_SUBSCRIBE, BROADCAST_UNSUBSCRIBE)
POST_ACTIONS = (FOLLOW, STAR, REPOST, REPLY)  # what other people did to the user or their posts
ACTIONS = (*POST_ACTIONS, WELCOME, *BROADCAST_ACTIONS)
# A notice about the user's own doing: the user is its actor (every other action skips those).
OWN_ACTIONS = (WELCOME, BROADCAST_CREATE)


class Interaction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )  # who is told
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )  # who did it
    action = models.CharField(max_length=32, choices=[(a, a) for a in ACTIONS])
    # The post acted on (starred, reposted, replied to); none for follow and welcome.
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    # The broadcast channel created, subscribed to or unsubscribed from.
    channel = models.ForeignKey(Channel, null=True, on_delete=models.CASCADE, related_name="+")
    # The post the action made (the reply, the repost): deleting a repost row takes this with it.
    cause = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "-id"], name="interaction_user_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "actor"], condition=Q(action=FOLLOW), name="interaction_follow"
            ),
            models.UniqueConstraint(
                fields=["actor", "post"], condition=Q(action=STAR), name="interaction_star"
            ),
            models.UniqueConstraint(
                fields=["cause"], condition=Q(action__in=[REPOST, REPLY]), name="interaction_cause"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(action=WELCOME), name="interaction_welcome"
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(action=BROADCAST_CREATE),
                name="interaction_broadcast_create",
            ),
            models.UniqueConstraint(
                fields=["actor", "channel"],
                condition=Q(action__in=[BROADCAST_SUBSCRIBE, BROADCAST_UNSUBSCRIBE]),
                name="interaction_broadcast_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} → {self.user_id}"
