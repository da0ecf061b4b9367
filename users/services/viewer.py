"""What the requesting user's relationships are to the users and posts on a page.

One query, whatever the page size: each relationship kind is a ``values_list`` of ids and all of
them are sent as a single UNION. Other apps add kinds about posts (``you_starred``,
``you_reposted``) through ``post_kinds`` rather than the users app knowing about posts.

Every page asks it, so it is compiled once per shape (``adn_api.compiled``): the id lists are
padded to a power of two by repeating their last id, which leaves a handful of shapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet, Value

from adn_api.compiled import Slots, compiled

from ..models import Block, Follow, Mute

# (viewer id, post ids) -> {kind: values_list of post ids}
PostKinds = Callable[[int, list[int]], dict[str, QuerySet]]


@dataclass
class ViewerContext:
    viewer: object | None = None
    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @property
    def authenticated(self) -> bool:
        return self.viewer is not None

    def has(self, kind: str, object_id: int) -> bool:
        return object_id in self.ids[kind]

    @classmethod
    def load(
        cls,
        viewer,
        user_ids: Iterable[int],
        post_ids: Iterable[int] = (),
        post_kinds: PostKinds | None = None,
    ) -> ViewerContext:
        context = cls(viewer)
        users = _padded(user_ids)
        posts = _padded(post_ids) if post_kinds is not None else []
        if viewer is None or not (users or posts):
            return context

        def build(slots: Slots) -> QuerySet:
            user_slots = [getattr(slots, f"user{i}") for i in range(len(users))]
            post_slots = [getattr(slots, f"post{i}") for i in range(len(posts))]
            parts = user_kinds(slots.viewer, user_slots) if users else {}
            if posts:
                parts.update(post_kinds(slots.viewer, post_slots))
            tagged = [
                qs.annotate(kind=Value(kind)).values_list("kind", qs.query.values_select[0])
                for kind, qs in parts.items()
            ]
            return tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]

        query = compiled(("viewer context", len(users), len(posts), post_kinds), build)
        values = {f"user{i}": pk for i, pk in enumerate(users)}
        values.update({f"post{i}": pk for i, pk in enumerate(posts)})
        for kind, object_id in query.run(viewer=viewer.pk, **values):
            context.ids[kind].add(object_id)
        return context


def user_kinds(viewer: int, user_ids: list[int]) -> dict[str, QuerySet]:
    return {
        "you_follow": Follow.objects.filter(
            follower_id=viewer, followee_id__in=user_ids
        ).values_list("followee_id"),
        "follows_you": Follow.objects.filter(
            followee_id=viewer, follower_id__in=user_ids
        ).values_list("follower_id"),
        "you_muted": Mute.objects.filter(muter_id=viewer, muted_id__in=user_ids).values_list(
            "muted_id"
        ),
        "you_blocked": Block.objects.filter(blocker_id=viewer, blocked_id__in=user_ids).values_list(
            "blocked_id"
        ),
    }


def _padded(ids: Iterable[int]) -> list[int]:
    """The distinct ids, the last repeated up to a power of two (an IN list's duplicates are
    harmless): pages of 13 and of 16 users then share one compiled query."""
    ids = sorted(set(ids))
    if not ids:
        return ids
    size = 1 << (len(ids) - 1).bit_length()
    return ids + ids[-1:] * (size - len(ids))
