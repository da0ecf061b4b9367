"""What the requesting user's relationships are to the users and posts on a page.

One query, whatever the page size: each relationship kind is a ``values_list`` of ids and all of
them are sent as a single UNION. Other apps add kinds (``starred``, ``reposted``) through
``extra`` rather than the users app knowing about posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet, Value

from ..models import Block, Follow, Mute


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
        cls, viewer, user_ids: Iterable[int], extra: dict[str, QuerySet] | None = None
    ) -> ViewerContext:
        context = cls(viewer)
        if viewer is None:
            return context
        user_ids = set(user_ids)
        parts: dict[str, QuerySet] = {}
        if user_ids:
            parts = {
                "you_follow": Follow.objects.filter(
                    follower=viewer, followee_id__in=user_ids
                ).values_list("followee_id"),
                "follows_you": Follow.objects.filter(
                    followee=viewer, follower_id__in=user_ids
                ).values_list("follower_id"),
                "you_muted": Mute.objects.filter(muter=viewer, muted_id__in=user_ids).values_list(
                    "muted_id"
                ),
                "you_blocked": Block.objects.filter(
                    blocker=viewer, blocked_id__in=user_ids
                ).values_list("blocked_id"),
            }
        parts.update(extra or {})
        if not parts:
            return context
        tagged = [
            qs.annotate(kind=Value(kind)).values_list("kind", qs.query.values_select[0])
            for kind, qs in parts.items()
        ]
        query = tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]
        for kind, object_id in query:
            context.ids[kind].add(object_id)
        return context
