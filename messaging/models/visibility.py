"""The one rule for which channels and messages a viewer may read, as query conditions.

A channel is readable by its owner, by anyone named in any of its ACLs (editing implies
writing implies reading), by any signed-in user when ``readers.any_user`` (or
``writers.any_user``), and by anyone at
all when ``readers.public``. A message is readable when its channel is (or it is the viewer's
own: App.net lets you always see a message you wrote), its author's account is active, and
there is no block either way between the viewer and its author; then the general parameters
(deleted, machine-only, muted authors).
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, Q, Subquery

from posts.options import PostFilters
from users.models import Block, Mute, User

from .acl import ChannelAcl


def readable_channels(viewer, prefix: str = "") -> Q:
    """``prefix`` reaches the channel through a relation (``channel__`` for messages)."""
    condition = Q(**{f"{prefix}readers_public": True})
    if viewer is None:
        return condition
    channel = OuterRef(f"{prefix}id" if not prefix else f"{prefix[:-2]}_id")
    return (
        condition
        | Q(**{f"{prefix}readers_any_user": True})
        | Q(**{f"{prefix}writers_any_user": True})  # writing implies reading
        | Q(**{f"{prefix}owner": viewer})
        | Exists(ChannelAcl.objects.filter(channel=channel, user=viewer))
    )


def visible_messages(viewer, filters: PostFilters, *, channel_readable: bool = False) -> Q:
    """``channel_readable``: the messages are those of one channel the caller has found
    readable already (a page of it), so the channel's part of the rule holds for all, and the
    author's ``is_active`` is read by a subquery per row rather than a join: a condition on the
    messages' table alone lets PostgreSQL read the newest of a channel in the order of its
    ``(channel, -id)`` index whatever size it takes the channel to be (a prepared statement's
    generic plan), where a join made it sort the whole channel."""
    if channel_readable:
        active = User.objects.filter(pk=OuterRef("user_id")).values("is_active")
        condition = Q(Subquery(active, output_field=BooleanField()))
    else:
        condition = Q(user__is_active=True)
    if not filters.include_deleted:
        condition &= Q(is_deleted=False)
    if not filters.include_machine:
        condition &= Q(machine_only=False)
    if viewer is None:
        return condition if channel_readable else condition & readable_channels(None, "channel__")
    if not channel_readable:
        condition &= readable_channels(viewer, "channel__") | Q(user=viewer)
    condition &= ~Exists(
        Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef("user_id"))
            | Q(blocker=OuterRef("user_id"), blocked=viewer)
        )
    )
    if not filters.include_muted:
        condition &= Q(user=viewer) | ~Exists(
            Mute.objects.filter(muter=viewer, muted=OuterRef("user_id"))
        )
    return condition
