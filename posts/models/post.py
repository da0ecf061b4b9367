from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from ..options import BY_ID, PostFilters
from .visibility import visible_posts


def new_guid() -> str:
    return uuid.uuid4().hex


# Everything a post's rendering touches, joined in the page's one query.
RENDER_RELATIONS = (
    "user",
    "source",
    "source__profile",
    "repost_of",
    "repost_of__user",
    "repost_of__source",
    "repost_of__source__profile",
)


class PostQuerySet(models.QuerySet):
    def visible_to(self, viewer, filters: PostFilters = BY_ID) -> PostQuerySet:
        """The posts ``viewer`` (None: signed out) may see: posts.models.visibility."""
        return self.filter(visible_posts(viewer, filters))

    def for_rendering(self) -> PostQuerySet:
        return self.select_related(*RENDER_RELATIONS)


class Post(models.Model):
    """A post, a reply (``reply_to``) or a repost (``repost_of``): one table for all three so
    that every stream pages over one id space.

    Counters are moved only in the transaction that inserts or deletes the row they count.
    A deleted original keeps its row (``is_deleted``) so threads stay whole; a deleted repost is
    removed outright (it answers 404 afterwards).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    entities = models.JSONField(default=dict, blank=True)
    annotations = models.JSONField(default=list, blank=True)
    source = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    thread_id = models.BigIntegerField(null=True, db_index=True)
    repost_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reposts"
    )
    machine_only = models.BooleanField(default=False)
    is_nsfw = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    # Leading mentions make a post "directed" (App.net's include_directed_posts).
    is_directed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    guid = models.CharField(max_length=32, unique=True, default=new_guid, editable=False)
    # The number of the version the row holds (0: as posted); the earlier ones are PostRevision
    # rows. A repost records the version of its original it acted on, and is shown with it.
    revision = models.PositiveSmallIntegerField(default=0)
    repost_of_revision = models.PositiveSmallIntegerField(null=True, blank=True)

    num_replies = models.PositiveIntegerField(default=0)
    num_stars = models.PositiveIntegerField(default=0)
    num_reposts = models.PositiveIntegerField(default=0)
    # Raised by the database on every UPDATE of the row (core/row_versions.py): the rendered-post
    # cache's key (adn_api/rendered.py). Never set it; any write raises it.
    # default as well as db_default: the ORM's bulk inserts stay one UNNEST (a DEFAULT column
    # makes them a VALUES list, whose parameters run out at some 2,000 users).
    version = models.BigIntegerField(default=0, db_default=0, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        constraints = [
            # One repost per user per original, whatever the timing of the requests.
            models.UniqueConstraint(
                fields=["user", "repost_of"],
                condition=models.Q(repost_of__isnull=False),
                name="post_one_repost_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "id"]),
            models.Index(fields=["thread_id", "id"]),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} by {self.user_id}"

    @property
    def is_revised(self) -> bool:
        return self.revision > 0

    @property
    def original(self) -> Post:
        """The post that actions on this one apply to: the original for a repost."""
        return self.repost_of if self.repost_of_id else self


def can_see(viewer, post: Post, filters: PostFilters = BY_ID) -> bool:
    """The same rule as ``visible_to``, for one post (one query)."""
    return Post.objects.visible_to(viewer, filters).filter(pk=post.pk).exists()
