"""The simulated members of bench/load: a locustfile, run by ``locust --headless`` there.

Each simulated user takes one account (with its own token) from the JSON file named by
LOAD_ACCOUNTS and mixes stream reads with writes. Posts seen in reads feed a pool that
reposts, stars and replies pick from. Every response's status is counted and written to
LOAD_RESULTS when locust quits, with every request's latency: bench/load computes exact
percentiles from them (locust's own are rounded, and its CSV may miss the last requests).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import Counter, deque

from locust import FastHttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115
USER_IDS = [account["id"] for account in ACCOUNTS]
NEXT_ACCOUNT = itertools.cycle(ACCOUNTS)
# (post id, its original's author id), newest last: what reposts, stars and replies act on.
SEEN: deque[tuple[int, int]] = deque(maxlen=1000)
STATUSES: Counter[str] = Counter()
LATENCIES: dict[str, list[float]] = {}  # milliseconds, by request name
SPAN: dict[str, float] = {}  # when the first request started and the last one ended
PAGE = "count=20"


@events.request.add_listener
def record(name: str, response_time: float, response=None, **_kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    STATUSES["connection error" if status == 0 else str(status)] += 1
    LATENCIES.setdefault(name, []).append(response_time)
    now = time.monotonic()
    SPAN.setdefault("first", now - response_time / 1000)
    SPAN["last"] = now


@events.quitting.add_listener
def write_results(**_kwargs) -> None:
    seconds = SPAN["last"] - SPAN["first"] if SPAN else 0.0
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        json.dump({"seconds": seconds, "statuses": STATUSES, "latencies": LATENCIES}, out)


def remember(posts: list[dict]) -> None:
    for post in posts:
        original = post.get("repost_of") or post
        SEEN.append((int(post["id"]), int(original["user"]["id"])))


class Member(FastHttpUser):
    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "0.1")), float(os.environ.get("LOAD_WAIT_MAX", "1"))
    )

    def on_start(self) -> None:
        account = next(NEXT_ACCOUNT)
        self.user_id = account["id"]
        self.auth = {"Authorization": f"Bearer {account['token']}"}
        self.starred: list[int] = []

    def read(self, path: str, name: str) -> None:
        response = self.client.get(path, headers=self.auth, name=name)
        if response.status_code == 200:
            remember(response.json()["data"])

    def others_post(self) -> int | None:
        """A recently seen post whose original is not this user's (they may not repost it)."""
        candidates = [pid for pid, author in list(SEEN)[-200:] if author != self.user_id]
        return random.choice(candidates) if candidates else None

    @task(30)
    def personal_stream(self) -> None:
        self.read(f"/stream/0/posts/stream?{PAGE}", "GET personal stream")

    @task(15)
    def global_stream(self) -> None:
        self.read(f"/stream/0/posts/stream/global?{PAGE}", "GET global stream")

    @task(15)
    def user_posts(self) -> None:
        self.read(f"/stream/0/users/{random.choice(USER_IDS)}/posts?{PAGE}", "GET user posts")

    @task(12)
    def write_post(self) -> None:
        text = f"load post {random.randrange(10**9)}"
        if random.random() < 0.3:
            other = next(a for a in random.sample(ACCOUNTS, 2) if a["id"] != self.user_id)
            text += f" for @{other['username']}"
        body: dict = {"text": text}
        name = "POST post"
        if SEEN and random.random() < 0.3:
            body["reply_to"] = random.choice(SEEN)[0]
            name = "POST reply"
        self.client.post("/stream/0/posts", json=body, headers=self.auth, name=name)

    @task(8)
    def repost(self) -> None:
        post_id = self.others_post()
        if post_id is not None:
            self.client.post(
                f"/stream/0/posts/{post_id}/repost", headers=self.auth, name="POST repost"
            )

    @task(8)
    def star(self) -> None:
        if SEEN:
            post_id = random.choice(SEEN)[0]
            self.client.post(f"/stream/0/posts/{post_id}/star", headers=self.auth, name="POST star")
            self.starred.append(post_id)

    @task(6)
    def unstar(self) -> None:
        if self.starred:
            post_id = self.starred.pop(random.randrange(len(self.starred)))
            self.client.delete(
                f"/stream/0/posts/{post_id}/star", headers=self.auth, name="DELETE star"
            )
