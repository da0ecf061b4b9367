"""The general parameters every post read takes, parsed once per request into one object.

App.net calls them ``include_*`` (docs: "General Parameters"); pnut has the same ideas under
some other names (``include_raw`` for annotations, ``include_bookmarked_by`` for starrers) and a
few more (``include_counts``, ``include_client``, ``include_user``). Both are read here into
``ReadOptions``, which every dialect's rendering reads; its ``filters`` part decides which posts
a read returns (``posts.models.visibility``) and is part of a compiled stream page's key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


def query_flag(params: Mapping, name: str, default: bool) -> bool:
    """App.net's 0/1 query flags; anything but 0/false/empty counts as true."""
    value = params.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", ""}


@dataclass(frozen=True)
class PostFilters:
    """Which posts a read returns, besides what no flag lifts (blocks, suspended authors)."""

    include_deleted: bool = True
    include_machine: bool = False
    include_muted: bool = False
    include_directed_posts: bool = True
    # pnut's: replies, posts with any mention, and (a user's mentions stream) posts that only
    # copy the user ("/@name"). App.net has no such parameters: they stay on there.
    include_replies: bool = True
    include_mention_posts: bool = True
    include_copy_mentions: bool = True


PNUT_ONLY_FILTERS = {"include_replies", "include_mention_posts", "include_copy_mentions"}


# Asking for one post by id shows it even if machine-only or by someone muted; STANDING, not if
# it has been deleted (diaspora's posts, pnut's "can still see").
BY_ID = PostFilters(include_machine=True, include_muted=True)
STANDING = PostFilters(include_deleted=False, include_machine=True, include_muted=True)


@dataclass(frozen=True)
class ReadOptions:
    filters: PostFilters = field(default_factory=PostFilters)
    post_html: bool = True
    user_html: bool = True
    post_annotations: bool = False  # pnut: raw
    user_annotations: bool = False
    starred_by: bool = False  # pnut: bookmarked_by
    reposters: bool = False  # pnut: reposted_by
    counts: bool = True  # pnut only, as the next two
    client: bool = True
    user: bool = True
    presence: bool = False  # pnut's include_presence: users show their presence

    @classmethod
    def parse(cls, params: Mapping, dialect: str = "adn", **defaults: bool) -> ReadOptions:
        """``defaults`` are the endpoint's own filter defaults (e.g. ``include_muted=True`` for
        a user's posts); the query string overrides them."""
        base = replace(PostFilters(), **defaults)
        names = set(PostFilters.__dataclass_fields__)
        if dialect != "pnut":
            names -= PNUT_ONLY_FILTERS
        filters = replace(
            base, **{name: query_flag(params, name, getattr(base, name)) for name in names}
        )

        def flag(name: str, default: bool = False) -> bool:
            return query_flag(params, name, default)

        if dialect == "pnut":
            # pnut: include_html, when given, takes priority over the per-object flags.
            general_html = "include_html" in params
            raw = flag("include_raw")
            return cls(
                filters=filters,
                post_html=flag("include_html" if general_html else "include_post_html", True),
                user_html=flag("include_html" if general_html else "include_user_html", True),
                post_annotations=raw or flag("include_post_raw"),
                user_annotations=raw or flag("include_user_raw"),
                starred_by=flag("include_bookmarked_by"),
                reposters=flag("include_reposted_by"),
                counts=flag("include_counts", True),
                client=flag("include_client", True),
                user=flag("include_user", True),
                presence=flag("include_presence"),
            )
        annotations = flag("include_annotations")
        return cls(
            filters=filters,
            post_html=flag("include_html", True),
            user_html=flag("include_html", True),
            post_annotations=annotations or flag("include_post_annotations"),
            user_annotations=annotations or flag("include_user_annotations"),
            starred_by=flag("include_starred_by"),
            reposters=flag("include_reposters"),
        )
