"""Stars through the ADN API: star, unstar, a user's stars, a post's starrers, samples."""

from __future__ import annotations

import pytest

from posts.models import Star
from posts.serializers import SAMPLE_SIZE
from users.models import User
from users.services import graph

from .post_support import POSTS, busy_timeline, error, ok, quick_post, snapshot


def counts(user: User) -> tuple[int, int]:
    user.refresh_from_db()
    return user.posts_count, user.stars_count


def test_star_and_unstar_move_num_stars_you_starred_and_the_users_count(api, alice, bob, token_for):
    post = quick_post(alice, "star me")
    token = token_for(bob)
    starred = ok(api.post(f"{POSTS}/{post.pk}/star", token))
    assert starred["id"] == str(post.pk)
    assert starred["num_stars"] == 1 and starred["you_starred"] is True
    assert counts(bob) == (0, 1)
    assert ok(api.get(f"/stream/0/users/{bob.pk}", token))["counts"]["stars"] == 1
    unstarred = ok(api.delete(f"{POSTS}/{post.pk}/star", token))
    assert unstarred["num_stars"] == 0 and unstarred["you_starred"] is False
    assert counts(bob) == (0, 0)
    assert not Star.objects.exists()


def test_starring_twice_or_unstarring_twice_changes_nothing_more(api, alice, bob, token_for):
    post = quick_post(alice)
    token = token_for(bob)
    ok(api.post(f"{POSTS}/{post.pk}/star", token))
    assert ok(api.post(f"{POSTS}/{post.pk}/star", token))["num_stars"] == 1
    assert Star.objects.count() == 1 and counts(bob) == (0, 1)
    ok(api.delete(f"{POSTS}/{post.pk}/star", token))
    assert ok(api.delete(f"{POSTS}/{post.pk}/star", token))["num_stars"] == 0
    assert counts(bob) == (0, 0)


def test_you_starred_is_per_viewer(api, alice, bob, token_for):
    post = quick_post(alice)
    ok(api.post(f"{POSTS}/{post.pk}/star", token_for(bob)))
    assert ok(api.get(f"{POSTS}/{post.pk}", token_for(alice)))["you_starred"] is False
    assert ok(api.get(f"{POSTS}/{post.pk}", token_for(bob)))["you_starred"] is True


def test_starring_a_repost_stars_the_original(api, alice, bob, make_user, token_for):
    from reposts.services import repost

    carol = make_user("carol")
    original = quick_post(alice, "the original")
    the_repost, _ = repost(bob, original)
    data = ok(api.post(f"{POSTS}/{the_repost.pk}/star", token_for(carol)))
    assert data["id"] == str(original.pk) and data["num_stars"] == 1
    assert list(Star.objects.values_list("post_id", flat=True)) == [original.pk]
    data = ok(api.delete(f"{POSTS}/{the_repost.pk}/star", token_for(carol)))
    assert data["id"] == str(original.pk) and data["num_stars"] == 0


def test_starring_a_deleted_post_is_404(api, alice, bob, token_for):
    post = quick_post(alice)
    ok(api.delete(f"{POSTS}/{post.pk}", token_for(alice)))
    before = snapshot()
    error(api.post(f"{POSTS}/{post.pk}/star", token_for(bob)), 404)
    assert snapshot() == before


def test_a_user_blocked_by_the_author_cannot_star(api, alice, bob, token_for):
    post = quick_post(alice)
    graph.block(alice, bob)
    before = snapshot()
    error(api.post(f"{POSTS}/{post.pk}/star", token_for(bob)), 403)
    assert snapshot() == before


def test_star_needs_a_user_token_with_write_post(api, alice, bob, token_for):
    post = quick_post(alice)
    error(api.post(f"{POSTS}/{post.pk}/star"), 401)
    error(api.post(f"{POSTS}/{post.pk}/star", token_for(bob, ["basic", "stream"])), 403)
    error(api.post(f"{POSTS}/{post.pk}/star", token_for(None)), 403)  # an app token
    assert not Star.objects.exists()


def test_user_stars_lists_starred_posts_newest_star_first(api, alice, bob, token_for):
    first, second, third = quick_post(alice, "1"), quick_post(alice, "2"), quick_post(alice, "3")
    token = token_for(bob)
    for post in (second, first, third):
        ok(api.post(f"{POSTS}/{post.pk}/star", token))
    for ident in (str(bob.pk), "@bob", "me"):
        data = ok(api.get(f"/stream/0/users/{ident}/stars", token))
        assert [p["id"] for p in data] == [str(third.pk), str(first.pk), str(second.pk)]
        assert all(p["you_starred"] for p in data)
    page = api.get(f"/stream/0/users/{bob.pk}/stars", count=2)
    assert [p["id"] for p in ok(page)] == [str(third.pk), str(first.pk)]
    meta = page.json()["meta"]
    assert meta["more"] is True
    rest = ok(api.get(f"/stream/0/users/{bob.pk}/stars", before_id=meta["min_id"]))
    assert [p["id"] for p in rest] == [str(second.pk)]
    # pagination_id is the star's, not the post's
    star_ids = {str(s.pk) for s in Star.objects.all()}
    assert {p["pagination_id"] for p in data} == star_ids


def test_user_stars_include_deleted_posts_unless_asked_not_to(api, alice, bob, token_for):
    kept, gone = quick_post(alice, "kept"), quick_post(alice, "gone")
    for post in (kept, gone):
        ok(api.post(f"{POSTS}/{post.pk}/star", token_for(bob)))
    ok(api.delete(f"{POSTS}/{gone.pk}", token_for(alice)))
    listed = ok(api.get(f"/stream/0/users/{bob.pk}/stars"))
    assert [(p["id"], p.get("is_deleted", False)) for p in listed] == [
        (str(gone.pk), True),
        (str(kept.pk), False),
    ]
    listed = ok(api.get(f"/stream/0/users/{bob.pk}/stars", include_deleted=0))
    assert [p["id"] for p in listed] == [str(kept.pk)]


def test_post_starrers_lists_users_newest_first(api, alice, make_user, token_for):
    post = quick_post(alice)
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        ok(api.post(f"{POSTS}/{post.pk}/star", token_for(fan)))
    data = ok(api.get(f"{POSTS}/{post.pk}/stars"))
    assert [u["username"] for u in data] == ["fan2", "fan1", "fan0"]
    assert all(set(u) >= {"id", "username", "counts"} for u in data)


def test_starred_by_sample_only_with_include_starred_by(api, alice, make_user, token_for):
    post = quick_post(alice)
    fans = [make_user(f"fan{i}") for i in range(SAMPLE_SIZE + 2)]
    for fan in fans:
        ok(api.post(f"{POSTS}/{post.pk}/star", token_for(fan)))
    assert "starred_by" not in ok(api.get(f"{POSTS}/{post.pk}"))
    data = ok(api.get(f"{POSTS}/{post.pk}", include_starred_by=1))
    assert data["num_stars"] == SAMPLE_SIZE + 2
    assert [u["username"] for u in data["starred_by"]] == [
        f.username for f in reversed(fans[-SAMPLE_SIZE:])
    ]


# Token, the user in the URL, the star page, its posts (one query, originals joined in), the two
# samples and the viewer's relationships: whatever the page size.
USER_STARS_QUERIES = 7
STARRERS_QUERIES = 4  # token, the post, the star page with its users, the viewer's relationships


@pytest.mark.parametrize("n", [20, 200])
def test_user_stars_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    from posts.services.stars import star

    posts, users = busy_timeline(make_user, n)
    fan = make_user("fan")
    for post in posts:
        star(fan, post)  # a repost's star lands on its original
    token = token_for(users[0])
    with django_assert_max_num_queries(USER_STARS_QUERIES):
        data = ok(
            api.get(
                f"/stream/0/users/{fan.pk}/stars",
                token,
                count=200,
                include_starred_by=1,
                include_reposters=1,
            )
        )
    assert len(data) == Star.objects.filter(user=fan).count() == n - n // 4
    assert all(fan.username in [u["username"] for u in p["starred_by"]] for p in data)


@pytest.mark.parametrize("n", [20, 200])
def test_post_starrers_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    from posts.services.stars import star

    post = quick_post(make_user("author"))
    for i in range(n):
        star(make_user(f"fan{i}"), post)
    token = token_for(make_user("viewer"))
    with django_assert_max_num_queries(STARRERS_QUERIES):
        data = ok(api.get(f"{POSTS}/{post.pk}/stars", token, count=200))
    assert len(data) == n
