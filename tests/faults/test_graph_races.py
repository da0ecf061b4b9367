"""Follows racing blocks and unfollows: the graph and the streams must come out as if the two
requests had run one after the other, whatever their timing (issue: faults found under test).

Each round starts the two changes in two threads at once (each thread its own database
connection; the stream tasks run in-process, right after each commit, so they race too), then
checks the outcome; ``check_consistency`` is the judge of every stream at the end.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from core.errors import Refused
from posts.services.posting import create_post
from streams.models import StreamItem
from streams.services.consistency import check_consistency
from users.models import Block, Follow
from users.services import graph

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROUNDS = 200


def race(*changes: Callable[[], object]) -> None:
    """Run the changes in threads released together (each tolerating a refusal)."""
    start = threading.Barrier(len(changes))
    errors: list[BaseException] = []

    def run(change: Callable[[], object]) -> None:
        try:
            start.wait()
            if random.random() < 0.5:  # either may reach the database first
                threading.Event().wait(0.001)
            change()
        except Refused:
            pass  # a follow refused because the block won: a fine outcome
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def followee_rows(owner, author) -> int:
    return StreamItem.objects.filter(owner=owner, post__user=author, is_mention=False).count()


def test_a_follow_racing_a_block_never_survives_it(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    create_post(alice, text="something to follow")
    contradictions = 0
    for _ in range(ROUNDS):
        race(lambda: graph.follow(bob, alice), lambda: graph.block(alice, bob))
        if Block.objects.filter(blocker=alice, blocked=bob).exists():
            contradictions += Follow.objects.filter(follower=bob, followee=alice).count()
        graph.unblock(alice, bob)
        graph.unfollow(bob, alice)
    assert contradictions == 0
    assert check_consistency().ok, check_consistency().lines()


def test_a_follow_racing_an_unfollow_leaves_the_stream_as_the_graph_says(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    for i in range(3):
        create_post(alice, text=f"post {i}")
    disagreements = []
    for round_number in range(ROUNDS):
        if round_number % 2:
            graph.follow(bob, alice)  # half the rounds start followed, half not
        race(lambda: graph.follow(bob, alice), lambda: graph.unfollow(bob, alice))
        following = Follow.objects.filter(follower=bob, followee=alice).exists()
        rows = followee_rows(bob, alice)
        if rows != (3 if following else 0):
            disagreements.append((round_number, following, rows))
        graph.unfollow(bob, alice)
    assert disagreements == []
    assert check_consistency().ok, check_consistency().lines()


def test_blocks_and_unblocks_racing_follows_leave_no_posts_of_someone_not_followed(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    create_post(alice, text="mine")
    for _ in range(ROUNDS // 2):
        graph.follow(bob, alice)
        race(lambda: graph.block(alice, bob), lambda: graph.follow(bob, alice))
        graph.unblock(alice, bob)
        race(lambda: graph.follow(bob, alice), lambda: graph.unfollow(bob, alice))
        following = Follow.objects.filter(follower=bob, followee=alice).exists()
        assert followee_rows(bob, alice) == (1 if following else 0)
    assert check_consistency().ok, check_consistency().lines()
