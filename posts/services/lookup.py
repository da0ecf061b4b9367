"""Finding posts named in URLs and request bodies."""

from __future__ import annotations

from adn_api.errors import BadRequest, NotFound
from adn_api.pagination import parse_id

from ..models import Post

MAX_IDS = 200


def get_post(post_id: str | int, *, for_update: bool = False) -> Post:
    pk = parse_id(str(post_id), "post id")
    queryset = Post.objects.select_related("user", "repost_of")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    post = queryset.filter(pk=pk, user__is_active=True).first()
    if post is None:
        raise NotFound(f"No post {pk}.")
    return post


def parse_post_ids(ids: str) -> list[int]:
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise BadRequest(f"At most {MAX_IDS} ids may be asked for at once.")
    return list(dict.fromkeys(parse_id(part, "post id") for part in parts))
