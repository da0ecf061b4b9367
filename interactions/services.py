"""Writing and reading interactions. ``record``/``forget`` run inside the caller's transaction
(a follow, star, reply, repost, signup or broadcast channel change and its interaction commit or
roll back together); callers have already locked what they change, and the unique constraints
are the last word.

Reads leave out actors the viewer cannot see (inactive, blocked either way) or has muted, posts
since deleted or machine-only, and channels since deactivated.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.compiled import Slots, compiled
from core.errors import Reason, Refused
from core.paging import Cursor, Page, finish, window
from posts.models.post import RENDER_RELATIONS
from users.models import Mute, User, visible_users

from .models import (
    ACTIONS,
    BROADCAST_SUBSCRIBE,
    BROADCAST_UNSUBSCRIBE,
    OWN_ACTIONS,
    Interaction,
)

POST_RELATIONS = [name for name in RENDER_RELATIONS if not name.startswith("repost_of")]


def record(
    action: str,
    *,
    user_id: int,
    actor_id: int,
    post_id: int | None = None,
    cause_id: int | None = None,
    channel_id: int | None = None,
) -> None:
    """Write the interaction; nobody is told of their own actions (bar the notices about them,
    ``OWN_ACTIONS``), and a repeat is ignored."""
    if user_id == actor_id and action not in OWN_ACTIONS:
        return
    row = Interaction(
        action=action,
        user_id=user_id,
        actor_id=actor_id,
        post_id=post_id,
        cause_id=cause_id,
        channel_id=channel_id,
    )
    Interaction.objects.bulk_create([row], ignore_conflicts=True)


def record_subscription(action: str, *, user_id: int, actor_id: int, channel_id: int) -> None:
    """A subscriber's latest ``broadcast_subscribe`` or ``broadcast_unsubscribe`` on a channel
    (the caller holds the channel's lock): it replaces the other, so the row is current."""
    Interaction.objects.filter(
        action__in=[BROADCAST_SUBSCRIBE, BROADCAST_UNSUBSCRIBE],
        actor_id=actor_id,
        channel_id=channel_id,
    ).exclude(action=action).delete()
    record(action, user_id=user_id, actor_id=actor_id, channel_id=channel_id)


def forget(action: str, *, actor_id: int, **match: int) -> None:
    """Remove the interaction an undone action had written (``post_id=``, ``user_id=`` or
    ``cause_id=`` say which)."""
    Interaction.objects.filter(action=action, actor_id=actor_id, **match).delete()


def forget_caused_by(post_ids: Iterable[int]) -> None:
    """Remove the interactions made by these posts (a reply deleted as a tombstone)."""
    Interaction.objects.filter(cause_id__in=list(post_ids)).delete()


def parse_actions(value: str | None, aliases: dict[str, str] | None = None) -> list[str] | None:
    """A comma-separated list of actions (in a dialect's spelling, ``aliases``) or None for all.
    Unknown names match nothing rather than failing, as the docs leave them unspecified."""
    if value is None or not value.strip():
        return None
    aliases = aliases or {}
    names = [aliases.get(part.strip(), part.strip()) for part in value.split(",")]
    return [name for name in names if name in ACTIONS]


def interactions_for(viewer: User | int, actions: list[str] | None = None) -> QuerySet:
    """The viewer's interactions as a list shows them (newest first is the caller's order)."""
    rows = Interaction.objects.filter(visible_users(viewer, "actor__"), user=viewer).exclude(
        Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("actor_id")))
    )
    # Posts no stream shows (deleted, machine-only) take their interactions off the list, and
    # so do deactivated channels.
    rows = rows.filter(Q(post__isnull=True) | Q(post__is_deleted=False, post__machine_only=False))
    rows = rows.filter(Q(channel__isnull=True) | Q(channel__is_inactive=False))
    if actions is not None:
        rows = rows.filter(action__in=actions)
    # The posts come with the rows, joined as a post stream renders them. An interaction's post
    # is never a repost (starring, reposting or replying to a repost acts on its original), so
    # the joins of a repost's original are left out.
    return rows.select_related("actor", "post", *(f"post__{name}" for name in POST_RELATIONS))


def _page_query(slots: Slots, *, actions: tuple[str, ...] | None, cursor: Cursor) -> QuerySet:
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    rows = interactions_for(slots.viewer, None if actions is None else list(actions))
    return window(rows, cursor, since, before)


def interactions_page(viewer: User, actions: list[str] | None, cursor: Cursor) -> Page:
    """A page of the viewer's interactions (``interactions_for``): one query, compiled once per
    shape (``core.compiled``). Its join of the actor, the post and what a post renders with
    took PostgreSQL and Django longer to plan and build than to run."""
    cursor = cursor.plain()
    if actions == []:  # only names of no action: nothing to read
        return Page([], False)
    query = compiled(
        _page_query,
        actions=None if actions is None else tuple(actions),
        cursor=cursor.shape(),
    )
    values = {"viewer": viewer.pk}
    if cursor.since_id is not None:
        values["since"] = cursor.since_id
    if cursor.before_id is not None:
        values["before"] = cursor.before_id
    return finish(query.run(**values), cursor)


def group(rows: list[Interaction]) -> list[list[Interaction]]:
    """Neighbouring rows (newest first) of one action on one object become one interaction, as
    App.net combines several people starring one post; a group's newest row names it."""
    groups: list[list[Interaction]] = []
    for row in rows:
        last = groups[-1][0] if groups else None
        if last is not None and _object(last) == _object(row):
            groups[-1].append(row)
            continue
        groups.append([row])
    return groups


def _object(row: Interaction) -> tuple:
    return row.action, row.post_id, row.channel_id


def get_interaction(viewer: User, pk: int | None, actions: list[str] | None = None) -> Interaction:
    """One of the viewer's interactions as their list shows it (diaspora's notification)."""
    found = interactions_for(viewer, actions).filter(pk=pk).first() if pk else None
    if found is None:
        raise Refused(Reason.NOT_FOUND, f"No notification {pk}.", subject="notification")
    return found


def set_read(viewer: User, pk: int | None, read: bool, actions: list[str] | None = None) -> None:
    get_interaction(viewer, pk, actions)  # someone else's is not found
    Interaction.objects.filter(pk=pk, user=viewer).update(read=read)
