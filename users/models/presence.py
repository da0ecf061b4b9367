from django.conf import settings
from django.db import models


class Presence(models.Model):
    """pnut's presence: when a user last said they were here, and what they said (``online``
    unless they set a status). One row per user, moved by ``PUT users/me/presence``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presence"
    )
    status = models.CharField(max_length=100, default="online")
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"
