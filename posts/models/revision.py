from django.db import models


class PostRevision(models.Model):
    """A previous version of a post (pnut's revisions): the post row always holds the current
    one, numbered ``Post.revision``; versions 0 … ``revision - 1`` are these rows. A repost
    records the version it acted on (``Post.repost_of_revision``) and is shown with it."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    entities = models.JSONField(default=dict, blank=True)
    is_nsfw = models.BooleanField(default=False)
    is_directed = models.BooleanField(default=False)
    created_at = models.DateTimeField()  # when this version was written
    replaced_at = models.DateTimeField(auto_now_add=True)  # when the next one replaced it

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "revision"], name="post_revision_unique")
        ]

    def __str__(self) -> str:
        return f"revision {self.revision} of post {self.post_id}"
