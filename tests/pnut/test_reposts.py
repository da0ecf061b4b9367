"""pnut reposts and bookmarks, as the reposts seed (002) describes them."""

from __future__ import annotations

import pytest

from posts.models import Post, Star
from users.services import graph

from ..post_support import snapshot
from .support import V1, assert_post_shape, data_of, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(api, alice, tokens):
    response = api.post(f"{V1}/posts", tokens["alice"], data={"text": "worth a repost #pnut"})
    return data_of(response, 201)


def repost_path(post_id) -> str:
    return f"{V1}/posts/{post_id}/repost"


def test_put_repost_is_201_with_the_acted_on_original(api, bob, tokens, original):
    data = data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    assert_post_shape(data, viewer=True)
    assert data["id"] == original["id"] and "repost_of" not in data
    assert data["you_reposted"] is True and data["counts"]["reposts"] == 1
    repost = Post.objects.get(user=bob, repost_of_id=original["id"])
    assert repost.text == ">> @alice: worth a repost #pnut"


def test_reposting_twice_keeps_one_repost(api, bob, tokens, original):
    for _ in range(2):
        acted_on = data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
        assert acted_on["id"] == original["id"]
    assert Post.objects.filter(user=bob, repost_of_id=original["id"]).count() == 1
    assert data_of(api.get(f"{V1}/posts/{original['id']}"))["counts"]["reposts"] == 1


def test_delete_repost_is_200_with_the_original_no_longer_reposted(api, bob, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    data = data_of(api.delete(repost_path(original["id"]), tokens["bob"]))
    assert data["id"] == original["id"]
    assert data["you_reposted"] is False and data["counts"]["reposts"] == 0
    assert not Post.objects.filter(user=bob, repost_of_id=original["id"]).exists()


def test_unreposting_a_post_one_can_no_longer_see_answers_only_id_and_flag(
    api, alice, bob, tokens, original
):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    graph.block(alice, bob)
    data = data_of(api.delete(repost_path(original["id"]), tokens["bob"]))
    assert data == {"id": original["id"], "you_reposted": False}
    assert not Post.objects.filter(user=bob, repost_of_id=original["id"]).exists()


def test_unreposting_a_deleted_original_answers_only_id_and_flag(api, bob, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    data_of(api.delete(f"{V1}/posts/{original['id']}", tokens["alice"]))
    data = data_of(api.delete(repost_path(original["id"]), tokens["bob"]))
    assert data == {"id": original["id"], "you_reposted": False}


def test_is_nsfw_marks_the_repost_but_not_the_embedded_original(api, bob, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"], data={"is_nsfw": True}), 201)
    repost = Post.objects.get(user=bob, repost_of_id=original["id"])
    shown = data_of(api.get(f"{V1}/posts/{repost.pk}"))
    assert shown["is_nsfw"] is True
    assert "is_nsfw" not in shown["repost_of"]


def test_a_repost_of_an_nsfw_post_is_nsfw(api, bob, tokens):
    nsfw = data_of(
        api.post(f"{V1}/posts", tokens["alice"], data={"text": "spicy", "is_nsfw": True}), 201
    )
    data_of(api.put(repost_path(nsfw["id"]), tokens["bob"]), 201)
    repost = Post.objects.get(user=bob, repost_of_id=nsfw["id"])
    shown = data_of(api.get(f"{V1}/posts/{repost.pk}"))
    assert shown["is_nsfw"] is True and shown["repost_of"]["is_nsfw"] is True


def test_reposting_ones_own_post_is_400_and_changes_nothing(api, tokens, original):
    before = snapshot()
    assert "own" in error_of(api.put(repost_path(original["id"]), tokens["alice"]), 400)
    assert snapshot() == before


def test_reposting_a_repost_reposts_the_original(api, bob, carol, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    bobs = Post.objects.get(user=bob, repost_of_id=original["id"])
    data = data_of(api.put(repost_path(bobs.pk), tokens["carol"]), 201)
    assert data["id"] == original["id"] and data["counts"]["reposts"] == 2
    assert Post.objects.get(user=carol, repost_of__isnull=False).repost_of_id == int(original["id"])


def test_deleting_an_original_deletes_its_reposts(api, bob, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    repost = Post.objects.get(user=bob, repost_of_id=original["id"])
    data_of(api.delete(f"{V1}/posts/{original['id']}", tokens["alice"]))
    error_of(api.get(f"{V1}/posts/{repost.pk}"), 404)


def test_a_repost_mirrors_the_original_content_counts_and_flags(api, bob, tokens, original):
    data_of(api.put(repost_path(original["id"]), tokens["bob"]), 201)
    repost = Post.objects.get(user=bob, repost_of_id=original["id"])
    # Bookmarking the repost bookmarks the original.
    bookmarked = data_of(api.put(f"{V1}/posts/{repost.pk}/bookmark", tokens["bob"]))
    assert bookmarked["id"] == original["id"] and bookmarked["you_bookmarked"] is True
    shown = data_of(api.get(f"{V1}/posts/{repost.pk}", tokens["bob"]))
    assert_post_shape(shown, viewer=True, extra={"repost_of"})
    assert shown["id"] == str(repost.pk) and shown["thread_id"] == str(repost.pk)
    assert shown["user"]["username"] == "bob"
    assert shown["content"] == shown["repost_of"]["content"]
    assert shown["content"]["text"] == "worth a repost #pnut"
    assert shown["counts"] == shown["repost_of"]["counts"]
    assert shown["counts"]["reposts"] == 1 and shown["counts"]["bookmarks"] == 1
    assert shown["you_bookmarked"] is True and shown["you_reposted"] is True
    assert shown["repost_of"]["user"]["username"] == "alice"


def test_bookmark_is_a_star_in_both_directions(api, bob, tokens, original):
    path = f"{V1}/posts/{original['id']}/bookmark"
    data = data_of(api.put(path, tokens["bob"]))
    assert data["you_bookmarked"] is True and data["counts"]["bookmarks"] == 1
    assert Star.objects.filter(user=bob, post_id=original["id"]).exists()
    adn = api.get(f"/stream/0/posts/{original['id']}", tokens["bob"]).json()["data"]
    assert adn["you_starred"] is True and adn["num_stars"] == 1
    data = data_of(api.delete(path, tokens["bob"]))
    assert data["you_bookmarked"] is False and data["counts"]["bookmarks"] == 0
    assert not Star.objects.filter(user=bob).exists()
