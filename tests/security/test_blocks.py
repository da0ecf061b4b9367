"""A block keeps the blocked user away from the blocker's posts, in every dialect: App.net's docs
("the user will not be able to see, star, reply to, or repost your content") while signed in."""

from __future__ import annotations

import pytest

from posts.models import Post, Star
from posts.services.posting import create_post
from users.services.graph import block

from .support import assert_dialect_error


@pytest.fixture
def blocked(make_user, token_for):
    """alice blocks bob; returns alice's post and bob's token."""
    alice, bob = make_user("alice"), make_user("bob")
    post = create_post(alice, text="not for bob")
    block(alice, bob)
    return post, token_for(bob)


def interactions_by_bob(post: Post) -> int:
    return (
        Star.objects.filter(post=post).count()
        + Post.objects.filter(reply_to=post).count()
        + Post.objects.filter(repost_of=post).count()
    )


@pytest.mark.parametrize(
    ("method", "path", "data", "dialect", "status"),
    [
        ("POST", "/stream/0/posts", {"text": "hi", "reply_to": "{id}"}, "ADNRenderer", 403),
        ("POST", "/stream/0/posts/{id}/star", None, "ADNRenderer", 403),
        ("POST", "/stream/0/posts/{id}/repost", None, "ADNRenderer", 403),
        ("POST", "/v1/posts", {"text": "hi", "reply_to": "{id}"}, "PnutRenderer", 403),
        ("PUT", "/v1/posts/{id}/bookmark", None, "PnutRenderer", 403),
        ("PUT", "/v1/posts/{id}/repost", None, "PnutRenderer", 403),
        ("POST", "/api/v1/posts/{guid}/comments", {"body": "hi"}, "DiasporaRenderer", 422),
        ("POST", "/api/v1/posts/{guid}/likes", None, "DiasporaRenderer", 422),
        ("POST", "/api/v1/posts/{guid}/reshares", None, "DiasporaRenderer", 422),
    ],
)
def test_a_blocked_user_cannot_reply_star_or_repost_the_blockers_posts(
    api, blocked, method, path, data, dialect, status
):
    post, bob = blocked
    if data is not None:
        data = {k: v.format(id=post.pk) for k, v in data.items()}
    response = api.call(method, path.format(id=post.pk, guid=post.guid), bob, data=data)
    assert_dialect_error(response, dialect, status)
    assert interactions_by_bob(post) == 0


@pytest.mark.parametrize(
    ("path", "dialect"),
    [
        ("/stream/0/posts/{id}", "ADNRenderer"),
        ("/v1/posts/{id}", "PnutRenderer"),
        ("/api/v1/posts/{guid}", "DiasporaRenderer"),
        ("/api/v1/posts/{guid}/comments", "DiasporaRenderer"),
        ("/api/v1/posts/{guid}/likes", "DiasporaRenderer"),
        ("/api/v1/posts/{guid}/reshares", "DiasporaRenderer"),
    ],
)
def test_a_blocked_user_signed_in_cannot_see_the_blockers_post(api, blocked, path, dialect):
    post, bob = blocked
    response = api.get(path.format(id=post.pk, guid=post.guid), bob)
    assert_dialect_error(response, dialect, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/stream/0/posts/stream/global",
        "/stream/0/users/{user}/posts",
        "/v1/posts/streams/global",
        "/v1/users/{user}/posts",
    ],
)
def test_a_blocked_user_signed_in_does_not_get_the_blockers_posts_in_streams(api, blocked, path):
    post, bob = blocked
    response = api.get(path.format(user=post.user_id), bob)
    ids = [item["id"] for item in response.json().get("data", [])]
    assert str(post.pk) not in ids, response.content


@pytest.mark.parametrize(
    ("path", "status"),
    [
        # A list of posts by id answers 200 with the others asked for, not the hidden one.
        pytest.param("/stream/0/posts?ids={id},{other}", 200, id="/stream/0/posts?ids={id}"),
        # The thread of a post hidden from the viewer is hidden too, as the post itself is.
        pytest.param("/stream/0/posts/{id}/replies", 404, id="/stream/0/posts/{id}/replies"),
    ],
)
def test_a_blocked_user_signed_in_does_not_get_the_blockers_posts_by_id_or_thread(
    api, blocked, make_user, path, status
):
    post, bob = blocked
    other = create_post(make_user("carol"), text="for everyone")
    response = api.get(path.format(id=post.pk, other=other.pk), bob)
    if status == 404:
        assert_dialect_error(response, "ADNRenderer", 404)
    else:
        assert response.status_code == 200, response.content
        ids = [item["id"] for item in response.json()["data"]]
        assert str(post.pk) not in ids, response.content
        assert ids == [str(other.pk)], response.content


def test_a_block_hides_the_blockers_post_from_the_blocked_but_not_from_others(
    api, blocked, make_user, token_for
):
    post, bob = blocked
    carol = token_for(make_user("carol"))
    assert api.get(f"/stream/0/posts/{post.pk}", carol).status_code == 200
    assert api.get(f"/stream/0/posts/{post.pk}").status_code == 200  # signed out
    assert api.get(f"/stream/0/posts/{post.pk}", bob).status_code == 404
