"""What other people did to a user (followed them, starred, reposted or replied to their posts),
one row per event, written by the domain in the same transaction as the event itself.

Reading a user's interactions is then one indexed range over their rows rather than a union of
scans over follows, stars and posts at read time. An undone action (unstar, unfollow, a deleted
reply or repost) removes its row: a partial unique constraint per action keeps a second copy of
the same event from ever being written, whatever the concurrency. ``read`` is diaspora's
notification flag, the only field that changes after the insert.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from posts.models import Post

FOLLOW = "follow"
STAR = "star"
REPOST = "repost"
REPLY = "reply"
WELCOME = "welcome"
ACTIONS = (FOLLOW, STAR, REPOST, REPLY, WELCOME)


class Interaction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )  # who is told
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )  # who did it
    action = models.CharField(max_length=16, choices=[(a, a) for a in ACTIONS])
    # The post acted on (starred, reposted, replied to); none for follow and welcome.
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
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
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} → {self.user_id}"
