"""diaspora likes: a like is a star (diaspora's own sentences for its likes errors)."""

from __future__ import annotations

import re

from posts.models import Star
from posts.services.posting import delete_post
from posts.services.stars import star
from tests.post_support import quick_post, snapshot
from users.services import graph

from .support import API, PERSON_EXAMPLE, assert_shape, diaspora_error, host_id, ok


def likes_path(post) -> str:
    return f"{API}/posts/{post.guid}/likes"


def test_liking_answers_204_and_stars_the_post(api, alice, bob, token_for):
    post = quick_post(alice)
    response = api.post(likes_path(post), token_for(bob))
    assert response.status_code == 204 and response.content == b""
    assert list(Star.objects.values_list("user_id", "post_id")) == [(bob.pk, post.pk)]
    post.refresh_from_db()
    assert post.num_stars == 1


def test_likes_are_listed_oldest_first_with_a_stable_guid_and_the_author(
    api, alice, bob, make_user
):
    post = quick_post(alice)
    star(bob, post)
    star(make_user("carol"), post)
    data = ok(api.get(likes_path(post)))
    assert [item["author"]["diaspora_id"] for item in data] == [host_id("bob"), host_id("carol")]
    # A like is an object of its own: its guid is neither the post's nor a liker's.
    taken = {post.guid} | {item["author"]["guid"] for item in data}
    for item in data:
        assert set(item) == {"guid", "author"}
        assert_shape(item["author"], PERSON_EXAMPLE)
        assert re.fullmatch(r"[0-9a-f]{32}", item["guid"]), item["guid"]
        assert item["guid"] not in taken, (item, taken)
    assert len({item["guid"] for item in data}) == 2
    assert ok(api.get(likes_path(post))) == data  # the same guids on every call


def test_liking_twice_is_409_and_changes_nothing(api, alice, bob, token_for):
    post = quick_post(alice)
    api.post(likes_path(post), token_for(bob))
    before = snapshot()
    diaspora_error(api.post(likes_path(post), token_for(bob)), 409, "Like already exists")
    assert snapshot() == before


def test_liking_across_a_block_is_422_and_changes_nothing(api, alice, bob, token_for):
    post = quick_post(alice)
    graph.block(alice, bob)
    before = snapshot()
    diaspora_error(api.post(likes_path(post), token_for(bob)), 422, "User is not allowed to like")
    assert snapshot() == before


def test_liking_a_deleted_post_is_404(api, alice, bob, token_for):
    post = quick_post(alice)
    delete_post(alice, post.pk)
    before = snapshot()
    diaspora_error(
        api.post(likes_path(post), token_for(bob)),
        404,
        "Post with provided guid could not be found",
    )
    assert snapshot() == before


def test_unliking_answers_204_then_410_once_there_is_no_like(api, alice, bob, token_for):
    post = quick_post(alice)
    star(bob, post)
    response = api.delete(likes_path(post), token_for(bob))
    assert response.status_code == 204
    assert not Star.objects.exists()
    before = snapshot()
    diaspora_error(api.delete(likes_path(post), token_for(bob)), 410, "Like doesn’t exist")
    assert snapshot() == before


def test_liking_needs_interactions_or_write_post(api, alice, bob, token_for):
    post = quick_post(alice)
    before = snapshot()
    diaspora_error(api.post(likes_path(post), token_for(bob, ["public:modify"])), 403)
    diaspora_error(api.post(likes_path(post)), 401)
    assert snapshot() == before
    assert api.post(likes_path(post), token_for(bob, ["interactions"])).status_code == 204
