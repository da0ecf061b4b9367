"""The one queue of reports the admins work through: a post (a diaspora comment is a reply
post) or a message. Messages' reports live here too, by a string FK ("messaging.Message"), so
the moderators see one list and the dashboard one count."""

from django.conf import settings
from django.db import models


class Report(models.Model):
    """A user's report of a post or of a message, queued for the admins. Exactly one of
    ``post`` and ``message`` is set; one report per reporter and post, or message."""

    class Status(models.TextChoices):
        OPEN = "open"
        DISMISSED = "dismissed"
        ACTIONED = "actioned"

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.CASCADE,
        related_name="reports",
        null=True,
        blank=True,
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter", "post"], name="report_once_per_reporter"),
            models.UniqueConstraint(
                fields=["reporter", "message"], name="report_once_per_reporter_message"
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, message__isnull=True)
                | models.Q(post__isnull=True, message__isnull=False),
                name="report_of_a_post_or_a_message",
            ),
        ]

    def __str__(self) -> str:
        if self.message_id:
            return f"report of message {self.message_id} by {self.reporter_id}"
        return f"report of {self.post_id} by {self.reporter_id}"
