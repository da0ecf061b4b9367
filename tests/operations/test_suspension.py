"""A suspended account, as clients see it: its tokens are refused, and its posts (and reposts of
them) leave every stream and lookup in every dialect at read time, until the suspension is
lifted. Suspension itself is the admin's action (see test_moderation.py)."""

from __future__ import annotations

import pytest

from posts.services.lookup import find_post_by_guid
from users.services.moderation import suspend, unsuspend

from ..post_support import error, ok

pytestmark = pytest.mark.django_db(transaction=True)  # fan-out runs when posts commit


@pytest.fixture
def world(make_user, token_for, api):
    """mallory posts (one with #tag, a reply in bob's thread); bob follows mallory and reposts
    her; carol follows bob. dave is a bystander."""
    users = {n: make_user(n) for n in ("mallory", "bob", "carol", "dave")}
    tokens = {n: token_for(u) for n, u in users.items()}
    ok(api.post(f"/stream/0/users/{users['mallory'].pk}/follow", tokens["bob"]))
    ok(api.post(f"/stream/0/users/{users['bob'].pk}/follow", tokens["carol"]))
    bobs = ok(api.post("/stream/0/posts", tokens["bob"], data={"text": "a thread"}))["id"]
    spam = ok(api.post("/stream/0/posts", tokens["mallory"], data={"text": "spam #deals @dave"}))
    reply = ok(
        api.post("/stream/0/posts", tokens["mallory"], data={"text": "more spam", "reply_to": bobs})
    )["id"]
    repost = ok(api.post(f"/stream/0/posts/{spam['id']}/repost", tokens["bob"]))["id"]
    return (
        users,
        tokens,
        {
            "bobs": bobs,
            "spam": spam["id"],
            "reply": reply,
            "repost": repost,
            "guid": spam.get("guid"),
        },
    )


def ids(response) -> list[str]:
    return [p["id"] for p in ok(response)]


def visible_everywhere(api, tokens, posts) -> dict[str, set[str]]:
    """Which of the posts each stream and lookup shows."""
    spam, reply, repost = posts["spam"], posts["reply"], posts["repost"]
    wanted = {spam, reply, repost}
    seen = {
        "global": set(ids(api.get("/stream/0/posts/stream/global", count=200))),
        "bob's stream": set(ids(api.get("/stream/0/posts/stream", tokens["bob"], count=200))),
        "carol's stream": set(ids(api.get("/stream/0/posts/stream", tokens["carol"], count=200))),
        "dave's unified": set(
            ids(api.get("/stream/0/posts/stream/unified", tokens["dave"], count=200))
        ),
        "tag": set(ids(api.get("/stream/0/posts/tag/deals"))),
        "thread": set(ids(api.get(f"/stream/0/posts/{posts['bobs']}/replies"))),
        "ids=": set(ids(api.get("/stream/0/posts", ids=",".join(sorted(wanted))))),
        "lookup": {p for p in wanted if api.get(f"/stream/0/posts/{p}").status_code == 200},
        "pnut global": set(ids(api.get("/v1/posts/streams/global", count=200))),
        "pnut bob's stream": set(ids(api.get("/v1/posts/streams/me", tokens["bob"], count=200))),
        "pnut lookup": {p for p in wanted if api.get(f"/v1/posts/{p}").status_code == 200},
    }
    return {name: found & wanted for name, found in seen.items()}


def test_a_suspended_users_token_is_refused(world, api):
    users, tokens, _ = world
    suspend([users["mallory"].pk])
    message = error(api.get("/stream/0/token", tokens["mallory"]), 401)
    assert "suspended" in message
    assert api.post("/stream/0/posts", tokens["mallory"], data={"text": "hi"}).status_code == 401
    assert api.get("/v1/token", tokens["mallory"]).status_code == 401


def test_a_suspended_users_posts_leave_every_stream_and_lookup(world, api):
    users, tokens, posts = world
    before = visible_everywhere(api, tokens, posts)
    # Each place showed them before, so their absence afterwards is the suspension's doing.
    assert before["global"] == {posts["spam"], posts["reply"]}
    assert before["bob's stream"] == {posts["spam"], posts["reply"], posts["repost"]}
    assert before["carol's stream"] == {posts["repost"]}
    assert before["dave's unified"] == {posts["spam"]}
    assert before["thread"] == {posts["reply"]}
    assert (
        before["lookup"]
        == before["pnut lookup"]
        == before["ids="]
        == {posts["spam"], posts["reply"], posts["repost"]}
    )
    assert before["pnut global"] == {posts["spam"], posts["reply"]}

    suspend([users["mallory"].pk])
    after = visible_everywhere(api, tokens, posts)
    assert after == {name: set() for name in before}
    assert api.get(f"/stream/0/users/{users['mallory'].pk}/posts").status_code == 404


def test_lifting_a_suspension_brings_the_posts_back(world, api):
    users, tokens, posts = world
    before = visible_everywhere(api, tokens, posts)
    suspend([users["mallory"].pk])
    unsuspend([users["mallory"].pk])
    assert visible_everywhere(api, tokens, posts) == before
    assert api.get("/stream/0/token", tokens["mallory"]).status_code == 200


def test_a_suspended_users_post_cannot_be_found_by_guid(world):
    """diaspora names posts by guid: the same rule holds there."""
    from posts.models import Post

    users, _, posts = world
    spam = Post.objects.get(pk=posts["spam"])
    repost = Post.objects.get(pk=posts["repost"])
    assert find_post_by_guid(spam.guid) == spam
    suspend([users["mallory"].pk])
    assert find_post_by_guid(spam.guid) is None
    assert find_post_by_guid(repost.guid) is None  # bob's repost shows mallory's post


def test_suspension_does_not_touch_other_users(world, api):
    users, tokens, posts = world
    suspend([users["mallory"].pk])
    assert posts["bobs"] in ids(api.get("/stream/0/posts/stream/global", count=200))
    assert ok(api.get("/stream/0/token", tokens["bob"]))["user"]["username"] == "bob"
