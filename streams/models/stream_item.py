from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class StreamItem(models.Model):
    """One post in one user's materialised stream (fan-out on write).

    The id is the stream's ``pagination_id``: it increases as rows are written, so a repost of an
    old post lands at the top of the stream. ``is_mention`` rows exist only because the owner was
    mentioned (the unified stream shows them, the personal stream does not).
    """

    # No index of its own: the two indexes below start with the owner and serve every lookup
    # by owner (and the cascade when a user is deleted); a third would only slow fan-out down.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="stream_items",
        db_index=False,
    )
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="stream_items")
    is_mention = models.BooleanField(default=False)
    # When the row was written (the database's clock, so bulk inserts that name no column get
    # it too): "was the owner shown this post in the last week" is answered from here and the
    # (owner, post) index, so an original's fan-out needs no dedupe key (streams/dedupe.py).
    delivered_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            # A replayed fan-out batch is harmless: the row is already there.
            models.UniqueConstraint(fields=["owner", "post"], name="stream_item_unique"),
        ]
        indexes = [models.Index(fields=["owner", "-id"], name="stream_item_owner_id")]

    def __str__(self) -> str:
        return f"post {self.post_id} in {self.owner_id}'s stream"
