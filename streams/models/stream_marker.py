import secrets

from django.conf import settings
from django.db import models


def new_version() -> str:
    return secrets.token_urlsafe(20)


class StreamMarker(models.Model):
    """A user's place in a named stream, synced between their clients.

    ``post_id`` is the post at the top of the stream when last synced (the marker's ``id``);
    ``last_read_id`` only grows unless a client explicitly resets it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stream_markers"
    )
    name = models.CharField(max_length=64)
    post_id = models.BigIntegerField()
    last_read_id = models.BigIntegerField()
    percentage = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.CharField(max_length=32, default=new_version)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="marker_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}'s marker in {self.name}"
