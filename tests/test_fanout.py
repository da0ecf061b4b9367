"""Fan-out on a real Celery worker over real Redis: delivery, the one-week repost dedupe (exact
whichever way the original reached a stream, and keyless for originals), and surviving a killed
worker or a stopped Redis."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings

from adn_api.oauth.tokens import issue_token
from posts.models import Post
from streams.models import FanOut, StreamItem
from users.models import Follow, User

from .processes import PrivateRedis, call, celery_worker, wait_for, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def fanned_out(post_id: str | int, timeout: float = 60) -> None:
    wait_for(
        lambda: FanOut.objects.filter(post_id=post_id, completed_at__isnull=False).exists(),
        timeout,
        f"the fan-out of post {post_id}",
    )


def stream_of(api, token) -> list[dict]:
    response = api.get("/stream/0/posts/stream", token, count=200)
    assert response.status_code == 200
    return response.json()["data"]


@pytest.fixture
def cast(make_user, token_for, api):
    """Users A, B, C, D with tokens, and helpers to post, repost and follow as them."""
    users = {name: make_user(name) for name in "ABCD"}
    tokens = {name: token_for(user) for name, user in users.items()}

    class Cast:
        people = users

        def post(self, who: str, text: str) -> str:
            response = api.post("/stream/0/posts", tokens[who], data={"text": text})
            assert response.status_code == 200, response.content
            return response.json()["data"]["id"]

        def repost(self, who: str, post_id: str) -> str:
            response = api.post(f"/stream/0/posts/{post_id}/repost", tokens[who])
            assert response.status_code == 200, response.content
            return response.json()["data"]["id"]

        def follow(self, who: str, *whom: str) -> None:
            for name in whom:
                api.post(f"/stream/0/users/{users[name].pk}/follow", tokens[who])

        def stream(self, who: str) -> list[dict]:
            return stream_of(api, tokens[who])

        def token(self, user: User) -> str:
            return token_for(user)

        def ids(self, who: str) -> list[str]:
            return [p["id"] for p in self.stream(who)]

        def merged(self, who: str, post_id: str) -> None:
            """Wait for a follow's merge (on the worker) to bring ``post_id`` in."""
            wait_for(lambda: post_id in self.ids(who), 60, f"post {post_id} merged")

    return Cast()


def test_a_repost_of_a_post_already_shown_is_not_shown_again(cast):
    with celery_worker():
        cast.follow("C", "A", "B")
        original = cast.post("A", "the original")
        fanned_out(original)
        repost = cast.repost("B", original)
        fanned_out(repost)
        ids = [p["id"] for p in cast.stream("C")]
        assert ids.count(original) == 1 and repost not in ids
        # B sees their own repost, and the original's author is not shown it either.
        assert repost in [p["id"] for p in cast.stream("B")]
        assert repost not in [p["id"] for p in cast.stream("A")]


def test_only_the_first_repost_of_a_post_is_shown_within_the_week(cast):
    with celery_worker():
        cast.follow("C", "B", "D")
        original = cast.post("A", "worth sharing")
        first = cast.repost("B", original)
        fanned_out(first)
        stream = cast.stream("C")
        assert [p["id"] for p in stream] == [first]
        assert stream[0]["repost_of"]["id"] == original
        second = cast.repost("D", original)
        fanned_out(second)
        assert [p["id"] for p in cast.stream("C")] == [first]


def test_after_the_dedupe_window_a_new_repost_shows_again(cast):
    with celery_worker(REPOST_DEDUPE_SECONDS="2"):
        cast.follow("C", "B", "D")
        original = cast.post("A", "evergreen")
        first = cast.repost("B", original)
        fanned_out(first)
        time.sleep(2.5)  # the key's expiry, configured for this worker
        second = cast.repost("D", original)
        fanned_out(second)
        assert [p["id"] for p in cast.stream("C")] == [second, first]


def dedupe_keys(original: str | int) -> list[bytes]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    pattern = f"{settings.REPOST_DEDUPE_KEY_PREFIX}shown:{{{original}}}:*"
    return list(client.scan_iter(match=pattern, count=1000))


def test_an_original_merged_by_a_follow_then_reposted_by_a_followee_is_withheld(cast):
    with celery_worker():
        cast.follow("C", "B")
        cast.follow("D", "B")
        original = cast.post("A", "seen through a follow")
        fanned_out(original)
        cast.follow("C", "A")  # the merge, not the fan-out, shows C the original
        cast.merged("C", original)
        assert dedupe_keys(original) == [], "an original's fan-out and merge write no keys"
        repost = cast.repost("B", original)
        fanned_out(repost)
        assert cast.ids("C") == [original]
        # D, who follows only B, had not been shown it: the repost reaches them, and its
        # delivery is the one key written (C was answered from the stream table).
        assert cast.ids("D") == [repost]
        assert dedupe_keys(original) == [
            f"{settings.REPOST_DEDUPE_KEY_PREFIX}shown:{{{original}}}:{cast.people['D'].pk}".encode()
        ]


def test_a_follow_merge_never_brings_in_reposts_of_the_followers_own_posts(cast):
    with celery_worker():
        mine = cast.post("C", "mine")
        theirs = cast.post("B", "theirs")
        repost = cast.repost("B", mine)
        fanned_out(repost)
        cast.follow("C", "B")
        cast.merged("C", theirs)
        assert repost not in cast.ids("C")
        # Nor does the fan-out of a later repost by someone C follows.
        cast.follow("C", "D")
        again = cast.repost("D", mine)
        fanned_out(again)
        assert again not in cast.ids("C") and cast.ids("C").count(mine) == 1


def test_a_repost_after_the_window_shows_again_where_a_merge_showed_the_original(cast):
    with celery_worker(REPOST_DEDUPE_SECONDS="2"):
        cast.follow("C", "B")
        original = cast.post("A", "long ago")
        fanned_out(original)
        cast.follow("C", "A")
        cast.merged("C", original)
        time.sleep(2.5)  # the window, configured for this worker, has passed since the merge
        repost = cast.repost("B", original)
        fanned_out(repost)
        assert cast.ids("C") == [repost, original]


def many_followers(author: User, count: int) -> list[int]:
    User.objects.bulk_create(User(username=f"f{author.pk}_{i}") for i in range(count))
    ids = list(
        User.objects.filter(username__startswith=f"f{author.pk}_").values_list("id", flat=True)
    )
    Follow.objects.bulk_create(Follow(follower_id=i, followee=author) for i in ids)
    return ids


def test_delivering_a_post_again_fills_in_missing_rows_and_doubles_none(make_user):
    from posts.services.posting import create_post
    from streams.services.fanout import deliver_post

    author = make_user("author")
    followers = many_followers(author, 50)
    post = create_post(author, text="once")  # fanned out in-process when it commits
    StreamItem.objects.filter(post=post, owner_id__in=followers[::2]).delete()
    deliver_post(post)  # as a replayed task would: half the rows are there already
    owners = sorted(StreamItem.objects.filter(post=post).values_list("owner_id", flat=True))
    assert owners == sorted([*followers, author.pk])


def test_a_worker_killed_mid_fan_out_leaves_every_follower_one_row(cast, make_user, token_for, api):
    author = make_user("popular")
    followers = many_followers(author, 10_000)
    slow = {
        "FANOUT_BATCH_SIZE": "250",
        "FANOUT_BATCH_PAUSE_SECONDS": "0.1",
        "FANOUT_RETRY_AFTER_SECONDS": "3",
        "FANOUT_SWEEP_SECONDS": "1",
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }
    with celery_worker(**slow) as worker:
        response = api.post("/stream/0/posts", token_for(author), data={"text": "to everyone"})
        post_id = response.json()["data"]["id"]
        wait_for(
            lambda: StreamItem.objects.filter(post_id=post_id).count() > 1000,
            60,
            "the fan-out to be under way",
        )
        worker.kill()
    written = StreamItem.objects.filter(post_id=post_id).count()
    assert 1000 < written < len(followers) + 1, "the kill must land mid fan-out"
    with celery_worker(beat=True, **slow):
        fanned_out(post_id, timeout=120)
    rows = StreamItem.objects.filter(post_id=post_id)
    assert rows.count() == len(followers) + 1
    assert set(rows.values_list("owner_id", flat=True)) == {*followers, author.pk}


def test_a_post_made_while_redis_is_down_fans_out_when_it_is_back(make_user, oauth_app):
    author, reader = make_user("author"), make_user("reader")
    Follow.objects.create(follower=reader, followee=author)
    token = issue_token(author, oauth_app, "basic stream write_post")
    redis_server = PrivateRedis()
    redis_server.start()
    env = {
        "REDIS_URL": redis_server.url,
        "CELERY_BROKER_URL": redis_server.url,
        "FANOUT_RETRY_AFTER_SECONDS": "1",
        "FANOUT_SWEEP_SECONDS": "1",
    }
    try:
        with web_server(**env) as base:
            redis_server.stop()
            status, body = call("POST", f"{base}/stream/0/posts", token, {"text": "still here"})
            assert status == 200 and body["meta"]["code"] == 200
            post_id = body["data"]["id"]
            assert Post.objects.filter(pk=post_id).exists()
            assert FanOut.objects.get(post_id=post_id).completed_at is None
            redis_server.start()
            with celery_worker(beat=True, **env):
                fanned_out(post_id)
        assert StreamItem.objects.filter(owner=reader, post_id=post_id).exists()
    finally:
        redis_server.stop()


def test_a_celebritys_fan_out_on_its_own_queue_never_delays_ordinary_tasks(cast, make_user, api):
    celebrity = make_user("celebrity")
    many_followers(celebrity, 10_000)
    slow = {"FANOUT_BATCH_SIZE": "250", "FANOUT_BATCH_PAUSE_SECONDS": "0.1"}
    fan_out_queue, ordinary = [settings.FANOUT_QUEUE], [settings.CELERY_TASK_DEFAULT_QUEUE]
    with (
        celery_worker(queues=fan_out_queue, **slow) as fan_out_worker,
        celery_worker(queues=ordinary, **slow) as ordinary_worker,
    ):
        earlier = cast.post("D", "before the follow")
        fanned_out(earlier)  # on the fan-out queue's worker: the other takes no fan-out
        post = api.post("/stream/0/posts", cast.token(celebrity), data={"text": "to everyone"})
        post_id = post.json()["data"]["id"]
        wait_for(
            lambda: StreamItem.objects.filter(post_id=post_id).count() > 500,
            60,
            "the celebrity's fan-out to be under way",
        )
        cast.follow("C", "D")  # a follow's merge: an ordinary task
        cast.merged("C", earlier)
        assert FanOut.objects.get(post_id=post_id).completed_at is None, "it waited for nothing"
        fanned_out(post_id, timeout=120)
        assert "fan_out_post[" in fan_out_worker.output()
        assert "fan_out_post[" not in ordinary_worker.output()
        assert "merge_followee[" in ordinary_worker.output()


def test_a_repost_made_while_its_original_fans_out_waits_and_is_withheld(cast, make_user, api):
    celebrity = make_user("celebrity")
    many_followers(celebrity, 5_000)
    cast.follow("C", "B")
    cast.follow("C", "A")  # C's follow comes last: the original reaches C at its very end
    Follow.objects.filter(follower=cast.people["C"], followee=cast.people["A"]).update(
        followee=celebrity
    )
    slow = {"FANOUT_BATCH_SIZE": "250", "FANOUT_BATCH_PAUSE_SECONDS": "0.1"}
    with celery_worker(**slow), celery_worker(queues=[settings.FANOUT_QUEUE], **slow):
        post = api.post("/stream/0/posts", cast.token(celebrity), data={"text": "breaking"})
        original = post.json()["data"]["id"]
        wait_for(lambda: StreamItem.objects.filter(post_id=original).exists(), 60, "the fan-out")
        repost = cast.repost("B", original)  # the other worker takes it at once
        fanned_out(repost, timeout=120)
        fanned_out(original)
        assert cast.ids("C") == [original]
        done = dict(FanOut.objects.values_list("post_id", "completed_at"))
        assert done[int(repost)] >= done[int(original)], "the repost waited for the original"
