from django.conf import settings
from django.db import models


class StreamTrim(models.Model):
    """Where an owner's materialised stream was cut: every row older than ``floor_id`` is gone.

    Paging past it reads the followees' posts at read time (``streams.services.page``), with the
    posts' ids as pagination ids, all below ``floor_id``; a stream never trimmed has no row.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stream_trim",
    )
    floor_id = models.BigIntegerField()  # the oldest row kept, when last trimmed
    trimmed_at = models.DateTimeField()
    removed = models.PositiveBigIntegerField(default=0)  # rows removed, over every trim

    def __str__(self) -> str:
        return f"{self.owner_id}'s stream, kept from row {self.floor_id}"
