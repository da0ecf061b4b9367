"""Finding posts named in URLs and request bodies, and locking them for a change."""

from __future__ import annotations

from adn_api.errors import BadRequest, NotFound
from adn_api.pagination import parse_id

from ..models import Post
from .visibility import by_active_authors

MAX_IDS = 200


def get_post(post_id: str | int) -> Post:
    pk = parse_id(str(post_id), "post id")
    post = (
        Post.objects.select_related("user", "repost_of", "repost_of__user")
        .filter(by_active_authors(), pk=pk)
        .first()
    )
    if post is None:
        raise NotFound(f"No post {pk}.")
    return post


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


def parse_post_ids(ids: str) -> list[int]:
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise BadRequest(f"At most {MAX_IDS} ids may be asked for at once.")
    return list(dict.fromkeys(parse_id(part, "post id") for part in parts))


def find_post_by_guid(guid: str) -> Post | None:
    """The standing post (original, reply or repost) with this guid, by an active user; None for
    anything else, a malformed guid included (diaspora names posts by guid)."""
    guid = guid.strip().lower()
    if len(guid) != 32 or not all(ch in "0123456789abcdef" for ch in guid):
        return None
    return (
        Post.objects.select_related("user", "repost_of", "repost_of__user")
        .filter(by_active_authors(), guid=guid, is_deleted=False)
        .first()
    )
