"""What the requesting user's relationships are to the users and posts on a page.

One query, whatever the page size: each relationship kind is a ``values_list`` of ids and all of
them are sent as a single UNION. Other apps add kinds about posts (``you_starred``,
``you_reposted``) through ``post_kinds`` rather than the users app knowing about posts.

Every page asks it, so it is compiled once per shape (``core.compiled``: the ORM path measured
1.8 ms against 0.25 ms a page); each id list is one parameter (``__any``), whatever its size.
A page read again by the same viewer (a client polling its stream) reuses the answer (``load``
with ``remember``): every relation here moves the viewer's row version, either as a counter on
the row (follows, followers, stars, posts and reposts) or by a trigger (mutes, blocks, reports,
and follows and stars again: users/migrations/0005, posts/migrations/0006), so a change gives a
new key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet, Value

from core.compiled import Slots, compiled
from core.local_cache import LocalCache

from ..models import USER_RELATIONS

# (viewer id, post ids or their slot) -> {kind: values_list of post ids}
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
        *,
        remember: bool = False,
    ) -> ViewerContext:
        """``remember``: reuse what this process read for the same viewer at the same row version
        about the same users and posts. Only for a viewer whose row this request read (the
        token's user): its version must be the current one."""
        context = cls(viewer)
        users = sorted(set(user_ids))
        posts = sorted(set(post_ids)) if post_kinds is not None else []
        if viewer is None or not (users or posts):
            return context
        key = (viewer.pk, viewer.version, post_kinds, *users, None, *posts) if remember else None
        if key is not None and (ids := _remembered.get(key)) is not None:
            context.ids.update(ids)
            return context

        query = compiled(_relations, post_kinds=post_kinds if posts else None, users=bool(users))
        values = {"viewer": viewer.pk}
        if users:
            values["users"] = users
        if posts:
            values["posts"] = posts
        for kind, object_id in query.run(**values):
            context.ids[kind].add(object_id)
        if key is not None:
            _remembered.set(key, dict(context.ids))
        return context


# A viewer's relations to a page's users and posts, as this process last read them.
_remembered = LocalCache(settings.LOCAL_CACHE_ENTRIES)


def _relations(slots: Slots, *, users: bool, post_kinds: PostKinds | None) -> QuerySet:
    """Every kind asked for, tagged with its name, as one UNION."""
    parts = user_kinds(slots.viewer, slots.users) if users else {}
    if post_kinds is not None:
        parts.update(post_kinds(slots.viewer, slots.posts))
    tagged = [
        qs.annotate(kind=Value(kind)).values_list("kind", qs.query.values_select[0])
        for kind, qs in parts.items()
    ]
    return tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]


def user_kinds(viewer: int, user_ids: list[int] | int) -> dict[str, QuerySet]:
    """Each kind as the ids, among ``user_ids``, of the users the viewer has it to."""
    return {
        kind: model.objects.filter(**{mine: viewer, f"{theirs}__any": user_ids}).values_list(theirs)
        for kind, (model, mine, theirs) in USER_RELATIONS.items()
    }
