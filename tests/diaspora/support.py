"""Helpers for the diaspora dialect's tests: paths, the error shape, and the seed's examples
(shapes binding, values not) to compare responses against."""

from __future__ import annotations

from django.conf import settings

from posts.models import Post
from posts.services.posting import create_post
from users.models import User

from ..dialect_errors import assert_diaspora_error

API = "/api/v1"


def host_id(username: str) -> str:
    return f"{username}@{settings.PUBLIC_HOST}"


def mention(username: str) -> str:
    """A mention as diaspora clients write it."""
    return f"@{{{host_id(username)}}}"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    body = response.json()
    # Bare JSON: never ADN's envelope.
    assert not (isinstance(body, dict) and "meta" in body), body
    return body


def diaspora_error(response, code: int, message: str | None = None) -> str:
    """Asserts diaspora's error shape, exactly ``{"code", "message"}``, with this status; returns
    the message (``message``, if given, is what it must say)."""
    return assert_diaspora_error(response, code, message)["message"]


def comment_on(post: Post, author: User, text: str = "a comment") -> Post:
    return create_post(author, text=text, reply_to=post.pk)


def assert_shape(actual, example, where: str = "") -> None:
    """Every key of the seed's example is present with a value of the same JSON type; lists
    compare their items with the example's first item."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        for key, value in example.items():
            assert key in actual, f"{where}.{key} missing from {sorted(actual)}"
            assert_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not a list"
        if example:
            for item in actual:
                assert_shape(item, example[0], f"{where}[]")
    elif isinstance(example, bool):
        assert isinstance(actual, bool), f"{where}: {actual!r} is not a boolean"
    elif isinstance(example, int):
        assert isinstance(actual, int) and not isinstance(actual, bool), f"{where}: {actual!r}"
    elif isinstance(example, str):
        assert isinstance(actual, str), f"{where}: {actual!r} is not a string"


PERSON_EXAMPLE = {
    "guid": "f50ffc00b188013355e3705681972339",
    "diaspora_id": "alice@example.com",
    "name": "Alice Testing",
    "avatar": "http://example.com/uploads/images/thumb_medium_83abe5319ef830c2bd84.jpg",
}

# seeds/000 (reshares): one item of GET …/reshares, and the answer to POST …/reshares.
RESHARE_ITEM_EXAMPLE = {
    "guid": "475fc770b8fe0133e40d406c8f31e210",
    "created_at": "2016-02-20T03:46:57.955Z",
    "author": PERSON_EXAMPLE,
}
RESHARE_POST_EXAMPLE = {
    "guid": "0a992a10b9db0133e40e406c8f31e210",
    "created_at": "2016-02-20T05:41:40.289Z",
    "post_type": "Reshare",
    "title": "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Donec a di...",
    "body": "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Donec a diam lectus.",
    "provider_display_name": "ExampleApp",
    "public": True,
    "nsfw": False,
    "root": RESHARE_ITEM_EXAMPLE,
    "author": PERSON_EXAMPLE,
    "interaction_counters": {"comments": 0, "likes": 0, "reshares": 0},
    "own_interaction_state": {"liked": False, "reshated": False, "subscribed": False},
}

# seeds/004 (comments): one item of GET …/comments, and the answer to POST …/comments.
COMMENT_ITEM_EXAMPLE = {
    "guid": "9d164700b82f0133e40d406c8f31e210",
    "created_at": "2016-02-09T18:59:01.114Z",
    "author": PERSON_EXAMPLE,
    "body": "Thank you very much, @{alice@example.com}!",
    "mentioned_people": [PERSON_EXAMPLE],
    "interactions": {"liked": True, "likes_count": 1},
    "reported": False,
}
COMMENT_POST_EXAMPLE = {
    "guid": "010fb390b8310133e40d406c8f31e210",
    "created_at": "2016-02-18T05:46:52.649Z",
    "author": PERSON_EXAMPLE,
    "body": "Can I use these for my own website?",
    "mentioned_people": [],
}
