from django.conf import settings
from django.db import models


class Report(models.Model):
    """A user's report of a post (or a diaspora comment, which is a reply post), queued for the
    admins. One per reporter and post."""

    class Status(models.TextChoices):
        OPEN = "open"
        DISMISSED = "dismissed"
        ACTIONED = "actioned"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter", "post"], name="report_once_per_reporter")
        ]

    def __str__(self) -> str:
        return f"report of {self.post_id} by {self.reporter_id}"
