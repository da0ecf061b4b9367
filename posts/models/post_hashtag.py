from django.db import models


def fold_tag(name: str) -> str:
    """Tag matching ignores case and underscores (pnut's rule, a superset of App.net's)."""
    return name.lower().replace("_", "")


class PostHashtag(models.Model):
    """A hashtag of a post, folded for matching (lower case, no ``_``), for the tag stream."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="hashtag_rows")
    name = models.CharField(max_length=256)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "post"], name="post_hashtag_unique")]

    def __str__(self) -> str:
        return f"#{self.name} on {self.post_id}"
