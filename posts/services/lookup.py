"""Finding posts named in URLs and request bodies, and locking them for a change.

A read finds a post only if the viewer may see it (``Post.objects.visible_to``); a write looks
it up as anyone would (``viewer=None``: suspended authors' posts are gone) and the action itself
says why it refuses (blocked, deleted, your own), which a dialect may word as it likes.
"""

from __future__ import annotations

from core.errors import Reason, Refused, invalid
from core.inputs import parse_guid, parse_id
from users.models import User

from ..models import Post
from ..options import BY_ID, STANDING, PostFilters

MAX_IDS = 200


def get_post(post_id: str | int, viewer: User | None = None, filters: PostFilters = BY_ID) -> Post:
    pk = parse_id(str(post_id), "post id")
    post = (
        Post.objects.visible_to(viewer, filters)
        .select_related("user", "repost_of", "repost_of__user")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Refused(Reason.NOT_FOUND, f"No post {pk}.")
    return post


def find_post_by_guid(guid: str, viewer: User | None = None) -> Post | None:
    """The standing post (original, reply or repost) with this guid (diaspora names posts by
    guid) that the viewer may see; None for anything else, a malformed guid included."""
    guid = parse_guid(guid)
    if guid is None:
        return None
    return (
        Post.objects.visible_to(viewer, STANDING)
        .select_related("user", "repost_of", "repost_of__user")
        .filter(guid=guid)
        .first()
    )


def get_post_by_guid(guid: str, viewer: User | None = None) -> Post:
    """``find_post_by_guid``, refusing when there is none."""
    post = find_post_by_guid(guid, viewer)
    if post is None:
        raise Refused(Reason.NOT_FOUND, f"No post with guid {guid.strip()[:40]!r}.")
    return post


def posts_by_ids(ids: str, viewer: User | None, filters: PostFilters) -> list[Post]:
    """The visible posts among a comma-separated list of ids, in the order asked for."""
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
    wanted = list(dict.fromkeys(parse_id(part, "post id") for part in parts))
    found = Post.objects.visible_to(viewer, filters).for_rendering().in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def lock_post(pk: int, *, exclusive: bool = False) -> Post | None:
    """Lock a post row for the rest of the transaction and read it afresh.

    Every change that touches a post's counters or state locks that post first, before any other
    row (and users last, in id order), so concurrent stars, reposts, replies and deletes queue on
    the post instead of deadlocking. ``exclusive`` (deleting) also shuts out the key-share locks
    that inserting a star, reply or repost pointing at the post takes; the others take the weaker
    ``FOR NO KEY UPDATE``, which those inserts do not wait for.
    """
    return (
        Post.objects.select_related("user")
        .select_for_update(no_key=not exclusive, of=("self",))
        .filter(pk=pk)
        .first()
    )
