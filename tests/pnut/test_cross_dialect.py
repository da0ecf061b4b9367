"""One server, two dialects: what pnut does, ADN sees, and the other way round.

Fan-out starts when the post's transaction commits, so these tests commit for real; it runs
in-process here (tests/test_fanout.py runs it on a real worker).
"""

from __future__ import annotations

import pytest

from .support import V1, data_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(make_user, token_for):
    users = {name: make_user(name) for name in ("alice", "bob", "carol", "fran", "gus")}
    tokens = {name: token_for(user) for name, user in users.items()}
    return users, tokens


def pnut_post(api, token, text: str, **fields) -> dict:
    return data_of(api.post(f"{V1}/posts", token, data={"text": text, **fields}), 201)


def pnut_follow(api, token, user) -> None:
    data_of(api.put(f"{V1}/users/{user.pk}/follow", token))


def pnut_stream(api, token, path="posts/streams/me") -> list[dict]:
    return data_of(api.get(f"{V1}/{path}", token, count=200))


def adn_stream(api, token, path="posts/stream") -> list[dict]:
    response = api.get(f"/stream/0/{path}", token, count=200)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_a_pnut_repost_is_an_adn_repost(api, cast):
    users, tokens = cast
    original = pnut_post(api, tokens["alice"], "hello #both")
    data_of(api.put(f"{V1}/posts/{original['id']}/repost", tokens["bob"]), 201)
    reposts = adn_stream(api, tokens["bob"], f"users/{users['bob'].pk}/posts")
    (repost,) = reposts
    adn = api.get(f"/stream/0/posts/{repost['id']}", tokens["bob"]).json()["data"]
    assert adn["repost_of"]["id"] == original["id"]
    assert adn["text"] == ">> @alice: hello #both"
    assert adn["repost_of"]["you_reposted"] is True
    adn_reposters = api.get(f"/stream/0/posts/{original['id']}/reposters").json()["data"]
    assert [u["username"] for u in adn_reposters] == ["bob"]
    # And an ADN repost is a pnut repost.
    api.post(f"/stream/0/posts/{original['id']}/repost", tokens["carol"])
    assert data_of(api.get(f"{V1}/posts/{original['id']}"))["counts"]["reposts"] == 2


def test_pnut_reposts_fan_out_with_the_same_dedupe(api, cast):
    """fran follows alice, bob and carol; gus follows bob and carol. fran already saw alice's
    post, so no repost of it reaches her; gus sees bob's repost, and not carol's after it."""
    users, tokens = cast
    for name in ("alice", "bob", "carol"):
        pnut_follow(api, tokens["fran"], users[name])
    for name in ("bob", "carol"):
        pnut_follow(api, tokens["gus"], users[name])
    original = pnut_post(api, tokens["alice"], "a post worth sharing")
    data_of(api.put(f"{V1}/posts/{original['id']}/repost", tokens["bob"]), 201)
    data_of(api.put(f"{V1}/posts/{original['id']}/repost", tokens["carol"]), 201)

    fran = pnut_stream(api, tokens["fran"])
    assert [p["id"] for p in fran] == [original["id"]]
    gus = pnut_stream(api, tokens["gus"])
    assert len(gus) == 1
    assert gus[0]["user"]["username"] == "bob"
    assert gus[0]["repost_of"]["id"] == original["id"]
    assert gus[0]["content"]["text"] == "a post worth sharing"
    # The ADN personal stream holds the same rows.
    assert [p["id"] for p in adn_stream(api, tokens["gus"])] == [p["id"] for p in gus]
    assert [p["id"] for p in adn_stream(api, tokens["fran"])] == [original["id"]]


def test_unified_stream_adds_mentions_from_strangers(api, cast):
    users, tokens = cast
    own = pnut_post(api, tokens["alice"], "my own")
    mention = pnut_post(api, tokens["carol"], "hey @alice")
    assert [p["id"] for p in pnut_stream(api, tokens["alice"])] == [own["id"]]
    unified = pnut_stream(api, tokens["alice"], "posts/streams/unified")
    assert [p["id"] for p in unified] == [mention["id"], own["id"]]


def test_pnut_personal_stream_keeps_directed_posts_by_default(api, cast):
    """pnut's include_directed_posts defaults to true; ADN's personal stream leaves them out."""
    users, tokens = cast
    pnut_follow(api, tokens["alice"], users["bob"])
    directed = pnut_post(api, tokens["bob"], "@carol just for you")
    assert [p["id"] for p in pnut_stream(api, tokens["alice"])] == [directed["id"]]
    assert adn_stream(api, tokens["alice"]) == []
    left_out = pnut_stream(api, tokens["alice"], "posts/streams/me?include_directed_posts=0")
    assert left_out == []


def test_counters_agree_between_the_dialects(api, cast):
    users, tokens = cast
    original = pnut_post(api, tokens["alice"], "count me")
    data_of(api.put(f"{V1}/posts/{original['id']}/repost", tokens["bob"]), 201)
    data_of(api.put(f"{V1}/posts/{original['id']}/bookmark", tokens["carol"]))
    api.post(f"/stream/0/posts/{original['id']}/star", tokens["fran"])
    pnut_post(api, tokens["gus"], "a reply", reply_to=original["id"])
    pnut_follow(api, tokens["bob"], users["alice"])

    pnut = data_of(api.get(f"{V1}/posts/{original['id']}", tokens["carol"]))
    adn = api.get(f"/stream/0/posts/{original['id']}", tokens["carol"]).json()["data"]
    assert pnut["counts"] == {"bookmarks": 2, "replies": 1, "reposts": 1, "threads": 0}
    assert (adn["num_stars"], adn["num_replies"], adn["num_reposts"]) == (2, 1, 1)
    assert pnut["you_bookmarked"] is adn["you_starred"] is True
    for name in ("alice", "bob", "carol"):
        pnut_user = data_of(api.get(f"{V1}/users/{users[name].pk}"))["counts"]
        adn_user = api.get(f"/stream/0/users/{users[name].pk}").json()["data"]["counts"]
        assert pnut_user["posts"] == adn_user["posts"]
        assert pnut_user["bookmarks"] == adn_user["stars"]
        assert pnut_user["followers"] == adn_user["followers"]
        assert pnut_user["following"] == adn_user["following"]
