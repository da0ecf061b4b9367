"""Concurrent requests through the API, each thread on its own database connection: the
constraints and row locks keep exactly one row per action and counters equal to the rows, with
no deadlock and no 500."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from posts.models import Post, Star
from users.models import User

from .concurrency import run_together
from .post_support import POSTS, assert_counters_match_rows, quick_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_reposts_by_one_user_make_one_repost(make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    post = quick_post(alice, "worth sharing")
    quick_post(bob, "bob's own")
    token = token_for(bob)
    results = run_together([("POST", f"{POSTS}/{post.pk}/repost", token)] * 50)
    assert [status for status, _ in results] == [200] * 50
    repost_ids = {body["data"]["id"] for _, body in results}
    assert len(repost_ids) == 1
    assert Post.objects.filter(repost_of=post).count() == 1
    assert Post.objects.get(pk=post.pk).num_reposts == 1
    assert User.objects.get(pk=bob.pk).posts_count == 2  # +1 exactly
    assert_counters_match_rows()


def test_fifty_concurrent_stars_by_one_user_make_one_star(make_user, token_for):
    alice, bob = make_user("alice"), make_user("bob")
    post = quick_post(alice, "star-worthy")
    token = token_for(bob)
    results = run_together([("POST", f"{POSTS}/{post.pk}/star", token)] * 50)
    assert [status for status, _ in results] == [200] * 50
    assert Star.objects.filter(user=bob, post=post).count() == 1
    assert Post.objects.get(pk=post.pk).num_stars == 1
    assert User.objects.get(pk=bob.pk).stars_count == 1
    assert all(body["data"]["you_starred"] for _, body in results)


def test_mixed_concurrent_stars_and_unstars_keep_counters_equal_to_rows(make_user, token_for):
    author = make_user("author")
    posts = [quick_post(author, f"post {i}") for i in range(3)]
    users = [make_user(f"fan{i}") for i in range(12)]
    tokens = {u.pk: token_for(u) for u in users}
    rng = random.Random(4)
    calls = [
        (rng.choice(["POST", "DELETE"]), f"{POSTS}/{rng.choice(posts).pk}/star", tokens[u.pk])
        for u in users
        for _ in range(4)
    ]
    results = run_together(calls)
    assert [status for status, _ in results] == [200] * len(calls)
    for post in Post.objects.filter(pk__in=[p.pk for p in posts]):
        assert post.num_stars == Star.objects.filter(post=post).count()
    for user in User.objects.filter(pk__in=[u.pk for u in users]):
        assert user.stars_count == Star.objects.filter(user=user).count()
    assert Star.objects.exists()
    assert_counters_match_rows()


def test_deleting_an_original_while_others_repost_star_and_reply_settles_cleanly(
    make_user, token_for
):
    author = make_user("author")
    original = quick_post(author, "busy post")
    parent = quick_post(author, "its parent")
    original = quick_post(author, "busy post", reply_to=parent.pk)
    users = [make_user(f"fan{i}") for i in range(10)]
    calls = [("DELETE", f"{POSTS}/{original.pk}", token_for(author))]
    for user in users:
        token = token_for(user)
        calls += [
            ("POST", f"{POSTS}/{original.pk}/repost", token),
            ("POST", f"{POSTS}/{original.pk}/star", token),
            ("DELETE", f"{POSTS}/{original.pk}/repost", token),
            ("DELETE", f"{POSTS}/{original.pk}/star", token),
        ]
    results = run_together(calls)
    statuses = [status for status, _ in results]
    assert statuses[0] == 200  # the delete
    assert set(statuses) <= {200, 404}, statuses
    assert Post.objects.get(pk=original.pk).is_deleted
    assert not Post.objects.filter(repost_of=original).exists()
    assert Post.objects.get(pk=parent.pk).num_replies == 0
    assert_counters_match_rows()


def test_concurrent_replies_count_exactly(make_user, token_for):
    from tests.conftest import Api

    author = make_user("author")
    root = quick_post(author, "ask me anything")
    users = [make_user(f"asker{i}") for i in range(20)]
    tokens = [token_for(u) for u in users]
    barrier = threading.Barrier(len(users), timeout=60)

    def reply(token):
        try:
            barrier.wait()
            return Api().post(POSTS, token, data={"text": "q?", "reply_to": root.pk}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        assert list(pool.map(reply, tokens)) == [200] * len(users)
    assert Post.objects.get(pk=root.pk).num_replies == len(users)
    assert_counters_match_rows()
