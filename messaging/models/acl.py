"""The users named in a channel's ACLs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChannelAcl(models.Model):
    """A user named in one of a channel's ACLs. Editing implies writing implies reading
    (App.net's hierarchy), so any row lets its user read."""

    class Role(models.TextChoices):
        READ = "read"
        WRITE = "write"
        EDIT = "edit"

    channel = models.ForeignKey("messaging.Channel", on_delete=models.CASCADE, related_name="acl")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=5, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "role", "user"], name="channel_acl_once")
        ]
        indexes = [models.Index(fields=["user", "channel"])]

    def __str__(self) -> str:
        return f"{self.user_id} may {self.role} channel {self.channel_id}"
