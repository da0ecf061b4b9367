from django.conf import settings
from django.db import models


class PostMention(models.Model):
    """A user mentioned by a post, for the mentions stream."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="mention_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mention_rows"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="post_mention_unique")]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.post_id}"
