from django.db import models


class FanOut(models.Model):
    """The outbox row of a post's fan-out, written in the post's own transaction.

    If the broker cannot take the task when the post commits, the row stays pending and the
    periodic sweep enqueues it again, so no post is ever left out of its followers' streams.
    """

    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="fan_out")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(completed_at__isnull=True), name="fan_out_pending"
            )
        ]

    def __str__(self) -> str:
        return f"fan-out of post {self.post_id}"
