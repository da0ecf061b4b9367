"""The ADN rendering of posts, and the parsing of a new post's request body.

``PostPage`` gathers, for a page of posts, everything the rendering needs in a constant number of
queries (the viewer's stars and reposts and relationships, samples of starrers and reposters);
other dialects reuse it and only change how a post is spelled out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from adn_api.errors import BadRequest
from adn_api.formats import iso_z
from adn_api.params import flag
from entities.options import EntityOptions, flag_value
from users.serializers import user_to_adn
from users.services.viewer import ViewerContext

from .models import Post, Star

SAMPLE_SIZE = 10
EMPTY_ENTITIES = {"mentions": [], "hashtags": [], "links": []}


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


def rendering_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = Post.objects.all() if queryset is None else queryset
    return queryset.select_related(*RENDER_RELATIONS)


@dataclass(frozen=True)
class PostOptions:
    """App.net's general post parameters that change how each post is rendered."""

    include_html: bool = True
    include_annotations: bool = False
    include_user_annotations: bool = False
    include_starred_by: bool = False
    include_reposters: bool = False

    @classmethod
    def from_request(cls, request) -> PostOptions:
        annotations = flag(request, "include_annotations", False)
        return cls(
            include_html=flag(request, "include_html", True),
            include_annotations=annotations or flag(request, "include_post_annotations", False),
            include_user_annotations=annotations
            or flag(request, "include_user_annotations", False),
            include_starred_by=flag(request, "include_starred_by", False),
            include_reposters=flag(request, "include_reposters", False),
        )


def _samples(model_rows: QuerySet, group: str, post_ids: set[int]) -> dict[int, list]:
    """Up to SAMPLE_SIZE users per post, newest first, in one query (a window function)."""
    if not post_ids:
        return {}
    rows = (
        model_rows.filter(**{f"{group}__in": post_ids})
        .annotate(rank=Window(RowNumber(), partition_by=[F(group)], order_by=F("id").desc()))
        .filter(rank__lte=SAMPLE_SIZE)
        .select_related("user")
    )
    samples: dict[int, list] = {}
    for row in rows:
        samples.setdefault(getattr(row, group), []).append(row.user)
    return samples


class PostPage:
    def __init__(self, posts: list[Post], viewer, options: PostOptions):
        self.posts = posts
        self.options = options
        everything = posts + [p.repost_of for p in posts if p.repost_of_id]
        post_ids = {p.pk for p in everything}
        self.starred_by = (
            _samples(Star.objects.all(), "post_id", post_ids) if options.include_starred_by else {}
        )
        self.reposters = (
            _samples(Post.objects.filter(repost_of__isnull=False), "repost_of_id", post_ids)
            if options.include_reposters
            else {}
        )
        user_ids = {p.user_id for p in everything}
        for sample in (*self.starred_by.values(), *self.reposters.values()):
            user_ids.update(u.pk for u in sample)
        self.context = ViewerContext.load(viewer, user_ids, post_ids, self.viewer_kinds)

    @staticmethod
    def viewer_kinds(viewer: int, post_ids: list[int]) -> dict[str, QuerySet]:
        """The viewer's relations to the page's posts, each an id query sent in the context's
        one UNION; a dialect's page adds the ones it shows (diaspora: reported, commented)."""
        return {
            "you_starred": Star.objects.filter(user_id=viewer, post_id__any=post_ids).values_list(
                "post_id"
            ),
            "you_reposted": Post.objects.filter(
                user_id=viewer, repost_of_id__any=post_ids
            ).values_list("repost_of_id"),
        }

    def user(self, user) -> dict:
        data = user_to_adn(user, self.context, include_html=self.options.include_html)
        if self.options.include_user_annotations:
            data["annotations"] = []  # users carry no annotations here yet; the key is asked for
        return data

    def adn(self, post: Post) -> dict:
        options = self.options
        deleted = post.is_deleted
        source = post.source
        data = {
            "id": str(post.pk),
            "user": self.user(post.user),
            "created_at": iso_z(post.created_at),
            "entities": EMPTY_ENTITIES if deleted else (post.entities or EMPTY_ENTITIES),
            "source": {
                "name": source.name if source else "API",
                "link": (source.profile.link if hasattr(source, "profile") else "")
                if source
                else settings.PUBLIC_URL,
                "client_id": source.client_id if source else "",
            },
            "reply_to": str(post.reply_to_id) if post.reply_to_id else None,
            "thread_id": str(post.thread_id or post.pk),
            "canonical_url": f"{settings.PUBLIC_URL}/{post.user.username}/post/{post.pk}",
            "num_replies": post.num_replies,
            "num_stars": post.num_stars,
            "num_reposts": post.num_reposts,
            "machine_only": post.machine_only,
        }
        if deleted:
            # As App.net's delete example: no text or html at all, empty entity lists.
            data["is_deleted"] = True
        else:
            data["text"] = post.text
            if options.include_html:
                data["html"] = post.html
        if self.context.authenticated:
            data["you_starred"] = self.context.has("you_starred", post.pk)
            data["you_reposted"] = self.context.has("you_reposted", post.pk)
        if options.include_annotations:
            data["annotations"] = [] if deleted else post.annotations
        if options.include_starred_by:
            data["starred_by"] = [self.user(u) for u in self.starred_by.get(post.pk, [])]
        if options.include_reposters:
            data["reposters"] = [self.user(u) for u in self.reposters.get(post.pk, [])]
        if post.repost_of_id:
            data["repost_of"] = self.adn(post.repost_of)
        if pagination_id := getattr(post, "pagination_id", None):
            data["pagination_id"] = str(pagination_id)
        return data


@dataclass
class NewPost:
    """A new post's fields as ADN clients send them (JSON or form)."""

    text: object = ""
    reply_to: object = None
    machine_only: bool = False
    annotations: object = None
    links: list | None = None
    parse_links: bool | None = None
    parse_markdown_links: bool = False

    @classmethod
    def from_request(cls, request) -> NewPost:
        data = request.data
        if not hasattr(data, "get"):
            raise BadRequest("The body must be a JSON object or a form.")
        entity_options = EntityOptions.from_body(data)
        return cls(
            text=data.get("text", ""),
            reply_to=data.get("reply_to"),
            machine_only=flag_value(data.get("machine_only", False), "machine_only"),
            annotations=data.get("annotations"),
            links=entity_options.links,
            parse_links=entity_options.parse_links,
            parse_markdown_links=entity_options.parse_markdown_links,
        )
