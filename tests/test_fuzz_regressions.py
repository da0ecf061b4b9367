"""Bugs the fuzzer (tests/test_fuzz.py) found, pinned one test each."""

from __future__ import annotations

import pytest

from posts.models import Post

pytestmark = pytest.mark.django_db

DEEPLY_NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/stream/0/posts", "/v1/posts"])
def test_deeply_nested_json_body_is_an_enveloped_400_and_posts_nothing(
    client, alice, token_for, path
):
    response = client.post(
        path,
        DEEPLY_NESTED,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    assert response.status_code == 400
    meta = response.json()["meta"]
    assert meta["code"] == 400
    assert "nested too deeply" in meta["error_message"]
    assert not Post.objects.exists()


def test_deeply_nested_json_comment_is_a_diaspora_400(client, alice, bob, token_for):
    from posts.services.posting import create_post

    post = create_post(bob, text="hello")
    response = client.post(
        f"/api/v1/posts/{post.guid}/comments",
        DEEPLY_NESTED,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == 400
    assert Post.objects.count() == 1


def test_user_search_for_a_nul_character_is_an_enveloped_400(client, alice):
    response = client.get("/stream/0/users/search", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["meta"]["code"] == 400


@pytest.mark.parametrize("percentage", ["²", "9" * 5000])
def test_marker_percentage_of_non_ascii_or_endless_digits_is_an_enveloped_400(
    client, alice, token_for, percentage
):
    from posts.services.posting import create_post
    from streams.models import StreamMarker

    post = create_post(alice, text="hello")
    response = client.post(
        "/stream/0/posts/marker",
        {"name": "global", "id": str(post.pk), "percentage": percentage},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    assert response.status_code == 400
    assert "percentage" in response.json()["meta"]["error_message"]
    assert not StreamMarker.objects.exists()


def test_marker_whose_name_is_a_list_is_an_enveloped_400(client, alice, token_for):
    response = client.post(
        "/stream/0/posts/marker",
        {"name": [], "id": "1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}",
    )
    assert response.status_code == 400
    assert "name must be one of" in response.json()["meta"]["error_message"]
