"""The ADN rendering of posts, and the parsing of a new post's request body.

``PostPage`` gathers, for a page of posts, everything the rendering needs in a constant number of
queries (the viewer's stars and reposts and relationships, samples of starrers and reposters);
other dialects reuse it and only change how a post is spelled out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber

from adn_api.formats import iso_z
from core.errors import invalid
from core.inputs import flag_value
from entities.options import EntityOptions
from files.services.annotations import expand
from places.services import annotations as place_annotations
from users.models import Follow, visible_users
from users.serializers import user_to_adn, user_viewer_flags
from users.services.viewer import ViewerContext

from .models import Post, Star
from .options import ReadOptions
from .services.posting import create_post
from .services.relations import post_relations
from .services.revisions import show_reposted_versions

SAMPLE_SIZE = 10
EMPTY_ENTITIES = {"mentions": [], "hashtags": [], "links": []}


def _samples(model_rows: QuerySet, group: str, post_ids: set[int], viewer) -> dict[int, list]:
    """Up to SAMPLE_SIZE users per post in one query (a window function): people the viewer
    follows first, as App.net's docs say of ``starred_by`` and ``reposters``, then the newest.
    Users on the other side of a block with the viewer are left out, as from every list."""
    if not post_ids:
        return {}
    order = [F("id").desc()]
    if viewer is not None:
        followed = Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("user_id")))
        order.insert(0, followed.desc())
    rows = (
        model_rows.filter(visible_users(viewer, "user__"), **{f"{group}__in": post_ids})
        .annotate(rank=Window(RowNumber(), partition_by=[F(group)], order_by=order))
        .filter(rank__lte=SAMPLE_SIZE)
        .select_related("user")
    )
    samples: dict[int, list] = {}
    for row in rows:
        samples.setdefault(getattr(row, group), []).append(row.user)
    return samples


class PostPage:
    """A page of posts with everything their rendering needs, loaded in a constant number of
    queries: the viewer's relations to posts and authors, samples of starrers and reposters."""

    def __init__(self, posts: list[Post], viewer, options: ReadOptions):
        show_reposted_versions(posts)  # a repost shows the version of its original it acted on
        self.posts = posts
        self.options = options
        everything = posts + [p.repost_of for p in posts if p.repost_of_id]
        post_ids = {p.pk for p in everything}
        # Attached files' and places' current values (fresh URLs), a query each for the page.
        self.annotations = (
            place_annotations.expand(expand({p.pk: p.annotations for p in everything}))
            if options.post_annotations
            else {}
        )
        self.starred_by = (
            _samples(Star.objects.all(), "post_id", post_ids, viewer) if options.starred_by else {}
        )
        self.reposters = (
            _samples(Post.objects.filter(repost_of__isnull=False), "repost_of_id", post_ids, viewer)
            if options.reposters
            else {}
        )
        user_ids = {p.user_id for p in everything}
        for sample in (*self.starred_by.values(), *self.reposters.values()):
            user_ids.update(u.pk for u in sample)
        self.context = ViewerContext.load(viewer, user_ids, post_ids, post_relations)
        authors = {p.user_id: p.user for p in everything}
        self.user_annotations = (
            expand({pk: u.annotations for pk, u in authors.items()})
            if options.user_annotations
            else {}
        )

    def render(self) -> list[dict]:
        return [self.adn(post) for post in self.posts]

    def user(self, user) -> dict:
        data = user_to_adn(user, self.context, include_html=self.options.user_html)
        if self.options.user_annotations:
            data["annotations"] = self.user_annotations.get(user.pk, [])
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
            if options.post_html:
                data["html"] = post.html
        if self.context.authenticated:
            data.update(post_viewer_flags(post.pk, self.context))
        if options.post_annotations:
            data["annotations"] = [] if deleted else self.annotations.get(post.pk, [])
        if options.starred_by:
            data["starred_by"] = [self.user(u) for u in self.starred_by.get(post.pk, [])]
        if options.reposters:
            data["reposters"] = [self.user(u) for u in self.reposters.get(post.pk, [])]
        if post.repost_of_id:
            data["repost_of"] = self.adn(post.repost_of)
        if pagination_id := getattr(post, "pagination_id", None):
            data["pagination_id"] = str(pagination_id)
        return data


def posts_to_adn(posts: list[Post], viewer, options: ReadOptions) -> list[dict]:
    return PostPage(posts, viewer, options).render()


def post_viewer_flags(post_id: int, context: ViewerContext) -> dict[str, bool]:
    """The viewer's relations to a post, as ADN's post object shows them (signed in only)."""
    return {
        "you_starred": context.has("you_starred", post_id),
        "you_reposted": context.has("you_reposted", post_id),
    }


def with_adn_viewer_flags(data: dict, context: ViewerContext, pagination_id=None) -> dict:
    """A post rendered for no one (``posts_to_adn(posts, None, …)``) with what ``adn`` adds
    for a signed-in viewer (their relations to it, its author and a repost's original) and
    where it is on the page; ``data`` itself, a cached rendering, is left as it is."""
    data = dict(data)
    if context.authenticated:
        data.update(post_viewer_flags(int(data["id"]), context))
        user = data["user"]
        data["user"] = {**user, **user_viewer_flags(int(user["id"]), context)}
        if "repost_of" in data:
            data["repost_of"] = with_adn_viewer_flags(data["repost_of"], context)
    if pagination_id is not None:
        data["pagination_id"] = str(pagination_id)
    return data


@dataclass
class NewPost:
    """A new post's fields as ADN or pnut clients send them (JSON or form): pnut calls the
    annotations ``raw`` and has ``is_nsfw``, App.net has ``machine_only`` and client links."""

    text: object = ""
    reply_to: object = None
    machine_only: bool = False
    is_nsfw: bool = False
    annotations: object = None
    entities: EntityOptions = EntityOptions()

    @classmethod
    def from_body(cls, data, dialect: str = "adn") -> NewPost:
        if dialect == "pnut":
            annotations = annotations_from_raw(data.get("raw"))
        else:
            annotations = data.get("annotations")
        return cls(
            text=data.get("text", ""),
            reply_to=data.get("reply_to"),
            machine_only=flag_value(data.get("machine_only", False), "machine_only"),
            is_nsfw=flag_value(data.get("is_nsfw", False), "is_nsfw"),
            annotations=annotations,
            entities=EntityOptions.from_body(data, dialect),
        )

    def create(self, author, source):
        return create_post(
            author,
            text=self.text,
            reply_to=self.reply_to,
            machine_only=self.machine_only,
            annotations=self.annotations,
            entities=self.entities,
            source=source,
            is_nsfw=self.is_nsfw,
        )


def annotations_from_raw(raw) -> list | None:
    """pnut raw as sent (``{type: [value, …]}``, or the older ``[{type, value}]``) as the
    annotations the domain stores and validates."""
    if raw is None or isinstance(raw, list):
        return raw
    if not isinstance(raw, dict):
        raise invalid("raw must be an object of {type: [value, …]}.")
    annotations = []
    for kind, values in raw.items():
        if not isinstance(values, list):
            raise invalid(f"raw[{str(kind)[:60]!r}] must be a list of objects.")
        annotations.extend({"type": kind, "value": value} for value in values)
    return annotations
