"""diaspora reshares (seeds/000): the list, resharing, and every error row of the seed's table."""

from __future__ import annotations

import re

import pytest

from posts.models import Post
from posts.services.posting import delete_post
from reposts.services import repost
from tests.post_support import quick_post, snapshot
from users.services import graph

from .support import (
    API,
    RESHARE_ITEM_EXAMPLE,
    RESHARE_POST_EXAMPLE,
    assert_shape,
    diaspora_error,
    host_id,
    ok,
)

NOT_FOUND = "Post with provided guid could not be found"
NOT_ALLOWED = "User is not allowed to reshare"
EXISTS = "Reshare already exists"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def reshares_path(post: Post) -> str:
    return f"{API}/posts/{post.guid}/reshares"


def test_resharing_answers_200_with_the_reshare_as_a_post_shaped_like_the_seed(
    api, alice, bob, token_for
):
    original = quick_post(alice, "Lorem ipsum dolor sit amet")
    data = ok(api.post(reshares_path(original), token_for(bob)))
    assert_shape(data, RESHARE_POST_EXAMPLE)
    reshare = Post.objects.get(user=bob, repost_of=original)
    assert data["guid"] == reshare.guid
    assert data["post_type"] == "Reshare"
    assert data["body"] == "Lorem ipsum dolor sit amet"  # the root's text
    assert data["title"] == "Lorem ipsum dolor sit amet"
    assert data["provider_display_name"] == "Test app"  # the token's app
    assert data["author"]["guid"] == bob.guid
    assert data["author"]["diaspora_id"] == host_id("bob")
    assert data["author"]["name"] == "Bob Testing"
    assert data["root"]["guid"] == original.guid
    assert data["root"]["author"]["diaspora_id"] == host_id("alice")
    assert TIME.match(data["created_at"]) and TIME.match(data["root"]["created_at"])
    assert data["own_interaction_state"]["reshated"] is False  # the reshare itself: not reshared


def test_a_long_body_is_titled_by_its_first_70_characters(api, alice, bob, token_for):
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Donec a diam lectus. Sed."
    data = ok(api.post(reshares_path(quick_post(alice, text)), token_for(bob)))
    assert data["title"] == text[:67] + "..."
    assert data["body"] == text


def test_the_list_of_reshares_is_oldest_first_with_guid_time_and_author(
    api, alice, bob, make_user, token_for
):
    carol = make_user("carol")
    original = quick_post(alice)
    first, _ = repost(bob, original)
    second, _ = repost(carol, original)
    data = ok(api.get(reshares_path(original)))
    for item in data:
        assert_shape(item, RESHARE_ITEM_EXAMPLE)
        assert set(item) == {"guid", "created_at", "author"}
    assert [item["guid"] for item in data] == [first.guid, second.guid]
    assert [item["author"]["diaspora_id"] for item in data] == [host_id("bob"), host_id("carol")]


def test_the_reshares_of_a_reshare_are_its_roots(api, alice, bob, make_user):
    original = quick_post(alice)
    bobs, _ = repost(bob, original)
    carols, _ = repost(make_user("carol"), original)
    data = ok(api.get(reshares_path(bobs)))
    assert [item["guid"] for item in data] == [bobs.guid, carols.guid]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_guid_is_404_and_changes_nothing(api, bob, token_for, method):
    before = snapshot()
    response = getattr(api, method)(f"{API}/posts/{'ab' * 16}/reshares", token_for(bob))
    diaspora_error(response, 404, NOT_FOUND)
    assert snapshot() == before


def test_resharing_a_deleted_post_is_404_and_changes_nothing(api, alice, bob, token_for):
    original = quick_post(alice)
    delete_post(alice, original.pk)
    before = snapshot()
    diaspora_error(api.post(reshares_path(original), token_for(bob)), 404, NOT_FOUND)
    assert snapshot() == before


def test_resharing_your_own_post_is_422_and_changes_nothing(api, alice, token_for):
    original = quick_post(alice)
    before = snapshot()
    diaspora_error(api.post(reshares_path(original), token_for(alice)), 422, NOT_ALLOWED)
    assert snapshot() == before


@pytest.mark.parametrize("blocker", ["author", "resharer"])
def test_resharing_across_a_block_is_422_and_changes_nothing(api, alice, bob, token_for, blocker):
    original = quick_post(alice)
    if blocker == "author":
        graph.block(alice, bob)
    else:
        graph.block(bob, alice)
    before = snapshot()
    diaspora_error(api.post(reshares_path(original), token_for(bob)), 422, NOT_ALLOWED)
    assert snapshot() == before


def test_resharing_twice_is_409_and_leaves_one_reshare(api, alice, bob, token_for):
    original = quick_post(alice)
    ok(api.post(reshares_path(original), token_for(bob)))
    before = snapshot()
    diaspora_error(api.post(reshares_path(original), token_for(bob)), 409, EXISTS)
    assert snapshot() == before
    assert Post.objects.filter(repost_of=original).count() == 1


def test_resharing_through_a_reshare_reshares_the_root(api, alice, bob, make_user, token_for):
    original = quick_post(alice)
    bobs, _ = repost(bob, original)
    data = ok(api.post(reshares_path(bobs), token_for(make_user("carol"))))
    assert data["root"]["guid"] == original.guid


@pytest.mark.parametrize("scopes", [["public:modify"], ["write_post"]])
def test_public_modify_or_write_post_may_reshare(api, alice, bob, token_for, scopes):
    original = quick_post(alice)
    ok(api.post(reshares_path(original), token_for(bob, scopes)))
    assert Post.objects.filter(user=bob, repost_of=original).exists()


@pytest.mark.parametrize("scopes", [["interactions"], ["public:read"], ["basic", "stream"]])
def test_resharing_without_public_modify_is_403_and_changes_nothing(
    api, alice, bob, token_for, scopes
):
    original = quick_post(alice)
    before = snapshot()
    message = diaspora_error(api.post(reshares_path(original), token_for(bob, scopes)), 403)
    assert "public:modify" in message
    assert snapshot() == before
