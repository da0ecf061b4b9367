"""A user acts only on what is theirs: another's post, repost, comment (diaspora: unless it is on
your own post), stream marker, profile, star or repost is out of reach, in every dialect."""

from __future__ import annotations

import pytest

from posts.models import Post, Star
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import find_repost, repost
from streams.models import StreamMarker

from .support import assert_dialect_error


@pytest.fixture
def people(make_user, token_for):
    users = {name: make_user(name) for name in ("alice", "bob", "carol")}
    return users, {name: token_for(user) for name, user in users.items()}


@pytest.mark.parametrize(
    ("path", "dialect"),
    [("/stream/0/posts/{id}", "ADNRenderer"), ("/v1/posts/{id}", "PnutRenderer")],
)
@pytest.mark.parametrize("kind", ["post", "repost"])
def test_nobody_deletes_another_users_post_or_repost(api, people, path, dialect, kind):
    users, tokens = people
    post = create_post(users["alice"], text="mine")
    if kind == "repost":
        post = repost(users["alice"], create_post(users["carol"], text="carol's"))[0]
    response = api.delete(path.format(id=post.pk), tokens["bob"])
    assert_dialect_error(response, dialect, 403)
    post.refresh_from_db()
    assert not post.is_deleted


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_nobody_edits_another_users_profile(api, people, method):
    users, tokens = people
    response = api.call(
        method, f"/stream/0/users/{users['alice'].pk}", tokens["bob"], data={"name": "owned"}
    )
    assert_dialect_error(response, "ADNRenderer", 403)
    users["alice"].refresh_from_db()
    assert users["alice"].name != "owned"


def test_a_stream_marker_written_by_one_user_never_moves_anothers(api, people):
    users, tokens = people
    posts = [create_post(users["carol"], text=f"post {i}") for i in range(3)]
    api.post("/stream/0/posts/marker", tokens["alice"], data={"name": "global", "id": posts[2].pk})
    response = api.post(
        "/stream/0/posts/marker?reset_read_id=1",
        tokens["bob"],
        data={"name": "global", "id": posts[0].pk},
    )
    assert response.status_code == 200, response.content
    alices = StreamMarker.objects.get(user=users["alice"], name="global")
    assert (alices.post_id, alices.last_read_id) == (posts[2].pk, posts[2].pk)


@pytest.mark.parametrize(
    "path",
    [
        "/stream/0/posts/{id}/star",
        "/v1/posts/{id}/bookmark",
        "/api/v1/posts/{guid}/likes",
    ],
)
def test_unstarring_removes_only_the_callers_own_star(api, people, path):
    users, tokens = people
    post = create_post(users["carol"], text="starred")
    star(users["alice"], post)
    star(users["bob"], post)
    response = api.delete(path.format(id=post.pk, guid=post.guid), tokens["bob"])
    assert response.status_code in (200, 204), response.content
    assert list(Star.objects.filter(post=post).values_list("user__username", flat=True)) == [
        "alice"
    ]
    post.refresh_from_db()
    assert post.num_stars == 1


@pytest.mark.parametrize("path", ["/stream/0/posts/{id}/repost", "/v1/posts/{id}/repost"])
def test_unreposting_removes_only_the_callers_own_repost(api, people, path):
    users, tokens = people
    original = create_post(users["carol"], text="worth sharing")
    alices = repost(users["alice"], original)[0]
    response = api.delete(path.format(id=original.pk), tokens["bob"])
    assert response.status_code == 200, response.content
    alices.refresh_from_db()
    assert not alices.is_deleted
    assert find_repost(users["alice"], original) == alices


def test_deleting_an_original_by_its_repost_id_is_refused_to_the_reposter(api, people):
    users, tokens = people
    original = create_post(users["carol"], text="carol's")
    bobs = repost(users["bob"], original)[0]
    # bob may delete his repost, and that must not reach carol's original.
    assert api.delete(f"/stream/0/posts/{bobs.pk}", tokens["bob"]).status_code == 200
    original.refresh_from_db()
    assert not original.is_deleted


def comments_path(post: Post, comment: Post) -> str:
    return f"/api/v1/posts/{post.guid}/comments/{comment.guid}"


def test_a_comment_is_not_deleted_by_a_third_party(api, people):
    users, tokens = people
    post = create_post(users["alice"], text="a post")
    comment = create_post(users["bob"], text="a comment", reply_to=post.pk)
    response = api.delete(comments_path(post, comment), tokens["carol"])
    error = assert_dialect_error(response, "DiasporaRenderer", 403)
    assert error["message"] == "User not allowed to delete the comment"
    comment.refresh_from_db()
    assert not comment.is_deleted


def test_a_comment_is_deleted_by_the_author_of_the_post_it_is_on(api, people):
    users, tokens = people
    post = create_post(users["alice"], text="a post")
    comment = create_post(users["bob"], text="a comment", reply_to=post.pk)
    assert api.delete(comments_path(post, comment), tokens["alice"]).status_code == 204
    comment.refresh_from_db()
    assert comment.is_deleted


def test_a_comment_author_cannot_use_a_reply_to_their_comment_to_delete_others(api, people):
    """Only the post a comment answers counts: bob commenting on alice's post gives bob no say
    over carol's comment on the same post."""
    users, tokens = people
    post = create_post(users["alice"], text="a post")
    create_post(users["bob"], text="bob's comment", reply_to=post.pk)
    carols = create_post(users["carol"], text="carol's comment", reply_to=post.pk)
    response = api.delete(comments_path(post, carols), tokens["bob"])
    assert_dialect_error(response, "DiasporaRenderer", 403)
