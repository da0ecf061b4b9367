"""Read-time filters every post stream shares: App.net's general parameters, mutes and blocks.

Everything is a condition inside the page's one SQL query (EXISTS subqueries), never a second
pass in Python, so a page is always full and costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from adn_api.params import flag
from posts.models import PostMention
from posts.services.visibility import by_active_authors
from users.models import Block, Follow, Mute


@dataclass(frozen=True)
class StreamFilters:
    include_deleted: bool = True
    include_machine: bool = False
    include_muted: bool = False
    include_directed_posts: bool = True

    @classmethod
    def from_request(
        cls, request, *, muted_default: bool = False, directed_default: bool = True
    ) -> StreamFilters:
        return cls(
            include_deleted=flag(request, "include_deleted", True),
            include_machine=flag(request, "include_machine", False),
            include_muted=flag(request, "include_muted", muted_default),
            include_directed_posts=flag(request, "include_directed_posts", directed_default),
        )

    def condition(self, viewer, prefix: str = "") -> Q:
        """The condition on posts reached through ``prefix`` (e.g. ``"post__"``)."""
        p = prefix
        condition = by_active_authors(p)  # suspended users' posts leave every stream
        if not self.include_deleted:
            condition &= Q(**{f"{p}is_deleted": False})
        if not self.include_machine:
            condition &= Q(**{f"{p}machine_only": False})
        if viewer is None:
            return condition
        authors = (f"{p}user_id", f"{p}repost_of__user_id")
        for author in authors:
            # Blocks hide posts both ways and cannot be overridden.
            condition &= ~Exists(
                Block.objects.filter(
                    Q(blocker=viewer, blocked=OuterRef(author))
                    | Q(blocker=OuterRef(author), blocked=viewer)
                )
            )
            if not self.include_muted:
                condition &= ~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef(author)))
        if not self.include_directed_posts:
            # A directed post stays if it mentions the viewer or someone they follow.
            followed = Follow.objects.filter(follower=viewer).values("followee_id")
            condition &= Q(**{f"{p}is_directed": False}) | Exists(
                PostMention.objects.filter(post=OuterRef(f"{p}id")).filter(
                    Q(user=viewer) | Q(user__in=followed)
                )
            )
        return condition
