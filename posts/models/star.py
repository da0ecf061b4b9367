from django.conf import settings
from django.db import models


class Star(models.Model):
    """A star (pnut: bookmark, diaspora: like). The id pages a user's stars."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="star_unique")]
        indexes = [models.Index(fields=["post", "id"])]

    def __str__(self) -> str:
        return f"{self.user_id} starred {self.post_id}"
