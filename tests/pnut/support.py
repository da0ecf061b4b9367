"""Reading pnut responses in tests: the envelope, the error shape and the object shapes."""

from __future__ import annotations

from ..dialect_errors import assert_pnut_error

V1 = "/v1"

# pnut's objects, key by key (docs: resources/posts, resources/users, implementation/entities).
SOURCE_KEYS = {"id", "url", "name"}
POST_COUNTS_KEYS = {"bookmarks", "replies", "reposts", "threads"}
CONTENT_KEYS = {"text", "html", "entities"}
ENTITIES_KEYS = {"links", "mentions", "tags"}
MENTION_KEYS = {"id", "text", "pos", "len"}  # + is_leading, is_copy: only when true
TAG_KEYS = {"text", "pos", "len"}
LINK_KEYS = {"url", "text", "pos", "len"}
VIEWER_POST_KEYS = {"you_bookmarked", "you_reposted"}
POST_KEYS = {"id", "created_at", "source", "user", "thread_id", "counts", "content"}
USER_KEYS = {
    "id",
    "username",
    "name",
    "type",
    "locale",
    "timezone",
    "created_at",
    "content",
    "counts",
}
USER_CONTENT_KEYS = {"text", "html", "entities", "avatar_image", "cover_image"}
IMAGE_KEYS = {"url", "width", "height", "is_default"}
USER_COUNTS_KEYS = {"bookmarks", "clients", "followers", "following", "posts"}
VIEWER_USER_KEYS = {"follows_you", "you_blocked", "you_follow", "you_muted", "you_can_follow"}


def data_of(response, code: int = 200):
    """The ``data`` of a pnut success response, checking the envelope on the way."""
    assert response.status_code == code, response.content
    body = response.json()
    assert list(body) == ["meta", "data"], body  # pnut's order: meta first
    assert body["meta"]["code"] == code
    return body["data"]


def meta_of(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()["meta"]


def error_of(response, code: int) -> str:
    """The message of a pnut error: ``{"meta": {code, error_message, error_id}}``, JSON, no data."""
    return assert_pnut_error(response, code)["error_message"]


def assert_user_shape(user: dict, *, viewer: bool) -> None:
    expected = USER_KEYS | (VIEWER_USER_KEYS if viewer else set())
    assert set(user) - {"pagination_id"} == expected, set(user) ^ expected
    assert set(user["content"]) == USER_CONTENT_KEYS
    assert set(user["content"]["entities"]) == ENTITIES_KEYS
    assert set(user["content"]["avatar_image"]) == IMAGE_KEYS
    assert set(user["content"]["cover_image"]) == IMAGE_KEYS
    assert set(user["counts"]) == USER_COUNTS_KEYS
    assert all(type(v) is int for v in user["counts"].values())
    assert isinstance(user["id"], str) and user["created_at"].endswith("Z")


def assert_post_shape(post: dict, *, viewer: bool, extra: set[str] = frozenset()) -> None:
    """Exactly pnut's keys: ``extra`` names the optional ones this post should have
    (``reply_to``, ``repost_of``, ``is_nsfw``, ``pagination_id``…); no ADN key leaks in."""
    expected = POST_KEYS | (VIEWER_POST_KEYS if viewer else set()) | set(extra)
    if "is_deleted" in extra:
        expected -= {"content"}
    assert set(post) == expected, set(post) ^ expected
    assert set(post["source"]) == SOURCE_KEYS
    assert set(post["counts"]) == POST_COUNTS_KEYS
    if "content" in post:
        assert set(post["content"]) == CONTENT_KEYS
        entities = post["content"]["entities"]
        assert set(entities) == ENTITIES_KEYS
        assert all(
            MENTION_KEYS <= set(m) <= MENTION_KEYS | {"is_leading", "is_copy"}
            for m in entities["mentions"]
        )
        assert all(set(t) == TAG_KEYS for t in entities["tags"])
        assert all(set(link) >= LINK_KEYS for link in entities["links"])
    assert_user_shape(post["user"], viewer=viewer)
