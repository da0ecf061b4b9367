"""Reading streams: what each stream holds, read-time filters, markers and pagination input.

Fan-out runs in-process here; tests/test_fanout.py runs it on a real worker.
"""

import pytest

from streams.models import StreamItem

# Fan-out starts when the post's transaction commits, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(make_user, token_for):
    """alice follows bob; carol is a stranger. Each with a token."""
    users = {name: make_user(name) for name in ("alice", "bob", "carol")}
    tokens = {name: token_for(user) for name, user in users.items()}
    return users, tokens


def write(api, token, text, **extra):
    response = api.post("/stream/0/posts", token, data={"text": text, **extra})
    assert response.status_code == 200, response.content
    return response.json()["data"]["id"]


def follow(api, token, user):
    assert api.post(f"/stream/0/users/{user.pk}/follow", token).status_code == 200


def stream_ids(api, token, path="/stream/0/posts/stream", **params):
    response = api.get(path, token, **params)
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["data"]]


def test_personal_stream_has_own_and_followed_posts_newest_first(api, people):
    users, tokens = people
    follow(api, tokens["alice"], users["bob"])
    mine = write(api, tokens["alice"], "mine")
    bobs = write(api, tokens["bob"], "bob's")
    write(api, tokens["carol"], "a stranger's")
    assert stream_ids(api, tokens["alice"]) == [bobs, mine]


def test_personal_stream_items_carry_pagination_ids_and_meta(api, people):
    users, tokens = people
    for i in range(3):
        write(api, tokens["alice"], f"post {i}")
    body = api.get("/stream/0/posts/stream", tokens["alice"], count=2).json()
    pagination_ids = [int(p["pagination_id"]) for p in body["data"]]
    assert pagination_ids == sorted(pagination_ids, reverse=True)
    assert body["meta"]["more"] is True
    assert body["meta"]["max_id"] == str(pagination_ids[0])
    older = api.get(
        "/stream/0/posts/stream", tokens["alice"], before_id=body["meta"]["min_id"]
    ).json()
    assert len(older["data"]) == 1 and older["meta"]["more"] is False


def test_follow_merges_recent_posts_and_unfollow_removes_them(api, people):
    users, tokens = people
    old = write(api, tokens["bob"], "before the follow")
    follow(api, tokens["alice"], users["bob"])
    assert old in stream_ids(api, tokens["alice"])
    api.delete(f"/stream/0/users/{users['bob'].pk}/follow", tokens["alice"])
    assert old not in stream_ids(api, tokens["alice"])


def test_muted_and_blocked_authors_are_filtered_at_read_time(api, people):
    users, tokens = people
    follow(api, tokens["alice"], users["bob"])
    bobs = write(api, tokens["bob"], "hello")
    api.post(f"/stream/0/users/{users['bob'].pk}/mute", tokens["alice"])
    assert bobs not in stream_ids(api, tokens["alice"])
    assert bobs in stream_ids(api, tokens["alice"], include_muted=1)
    assert StreamItem.objects.filter(owner=users["alice"], post_id=bobs).exists()
    api.delete(f"/stream/0/users/{users['bob'].pk}/mute", tokens["alice"])
    carols = write(api, tokens["carol"], "global hello")
    api.post(f"/stream/0/users/{users['alice'].pk}/block", tokens["carol"])
    assert carols not in stream_ids(api, tokens["alice"], "/stream/0/posts/stream/global")


def test_directed_posts_to_strangers_are_left_out_of_the_personal_stream(api, people):
    users, tokens = people
    follow(api, tokens["alice"], users["bob"])
    to_carol = write(api, tokens["bob"], "@carol just for you")
    to_alice = write(api, tokens["bob"], "@alice and you")
    ids = stream_ids(api, tokens["alice"])
    assert to_alice in ids and to_carol not in ids
    assert to_carol in stream_ids(api, tokens["alice"], include_directed_posts=1)


def test_unified_stream_adds_mentions_from_strangers(api, people):
    users, tokens = people
    mention = write(api, tokens["carol"], "hey @alice")
    assert mention not in stream_ids(api, tokens["alice"])
    assert mention in stream_ids(api, tokens["alice"], "/stream/0/posts/stream/unified")


def test_a_mention_from_someone_you_then_follow_joins_your_personal_stream(api, people):
    users, tokens = people
    mention = write(api, tokens["carol"], "hey @alice")
    unified = "/stream/0/posts/stream/unified"
    follow(api, tokens["alice"], users["carol"])
    assert mention in stream_ids(api, tokens["alice"])
    api.delete(f"/stream/0/users/{users['carol'].pk}/follow", tokens["alice"])
    assert mention not in stream_ids(api, tokens["alice"])
    assert mention in stream_ids(api, tokens["alice"], unified)  # it still mentions her
    follow(api, tokens["alice"], users["carol"])
    assert mention in stream_ids(api, tokens["alice"])


def test_global_stream_has_originals_but_no_reposts(api, people):
    users, tokens = people
    original = write(api, tokens["bob"], "original")
    repost = api.post(f"/stream/0/posts/{original}/repost", tokens["carol"]).json()["data"]["id"]
    ids = stream_ids(api, None, "/stream/0/posts/stream/global")
    assert original in ids and repost not in ids


def test_user_posts_and_mentions_streams(api, people):
    users, tokens = people
    first = write(api, tokens["bob"], "hi @carol")
    second = write(api, tokens["bob"], "no mention")
    assert stream_ids(api, None, f"/stream/0/users/{users['bob'].pk}/posts") == [second, first]
    assert stream_ids(api, tokens["alice"], "/stream/0/users/@carol/mentions") == [first]


def test_hashtag_stream_matches_case_insensitively(api, people):
    users, tokens = people
    tagged = write(api, tokens["bob"], "ship it #LaunchDay")
    write(api, tokens["bob"], "no tag")
    assert stream_ids(api, None, "/stream/0/posts/tag/launchday") == [tagged]
    assert api.get("/stream/0/posts/tag/1234").status_code == 400


def test_machine_only_and_deleted_posts_follow_the_general_parameters(api, people):
    users, tokens = people
    machine = api.post(
        "/stream/0/posts",
        tokens["alice"],
        data={
            "machine_only": True,
            "annotations": [{"type": "net.example.move", "value": {"m": 1}}],
        },
    ).json()["data"]["id"]
    gone = write(api, tokens["alice"], "soon gone")
    api.delete(f"/stream/0/posts/{gone}", tokens["alice"])
    ids = stream_ids(api, tokens["alice"])
    assert machine not in ids and gone in ids
    assert machine in stream_ids(api, tokens["alice"], include_machine=1)
    assert gone not in stream_ids(api, tokens["alice"], include_deleted=0)


def test_stream_marker_is_in_meta_and_last_read_only_grows(api, people):
    users, tokens = people
    ids = [write(api, tokens["alice"], f"post {i}") for i in range(3)]
    meta = api.get("/stream/0/posts/stream", tokens["alice"]).json()["meta"]
    assert meta["marker"] == {"name": "my_stream"}
    marker = api.post(
        "/stream/0/posts/marker",
        tokens["alice"],
        data={"name": "my_stream", "id": ids[2], "percentage": 40},
    ).json()["data"]
    assert marker["last_read_id"] == ids[2] and marker["percentage"] == 40
    marker = api.post(
        "/stream/0/posts/marker", tokens["alice"], data={"name": "my_stream", "id": ids[0]}
    ).json()["data"]
    assert (marker["id"], marker["last_read_id"]) == (ids[0], ids[2])
    reset = api.post(
        "/stream/0/posts/marker?reset_read_id=1",
        tokens["alice"],
        data={"name": "my_stream", "id": ids[0]},
    ).json()["data"]
    assert reset["last_read_id"] == ids[0]
    meta = api.get("/stream/0/posts/stream", tokens["alice"]).json()["meta"]
    assert meta["marker"]["id"] == ids[0] and meta["marker"]["version"] == reset["version"]


def test_markers_can_be_posted_as_a_list(api, people):
    users, tokens = people
    post_id = write(api, tokens["alice"], "x")
    body = api.post(
        "/stream/0/posts/marker",
        tokens["alice"],
        data=[{"name": "my_stream", "id": post_id}, {"name": "global", "id": post_id}],
    ).json()
    assert [m["name"] for m in body["data"]] == ["my_stream", "global"]


def test_special_pagination_ids_use_the_marker(api, people):
    users, tokens = people
    ids = [write(api, tokens["alice"], f"post {i}") for i in range(4)]
    api.post("/stream/0/posts/marker", tokens["alice"], data={"name": "my_stream", "id": ids[1]})
    assert stream_ids(api, tokens["alice"], since_id="marker") == [ids[3], ids[2]]
    assert stream_ids(api, tokens["alice"], since_id="marker_inclusive") == ids[1:][::-1]
    assert stream_ids(api, tokens["alice"], before_id="last_read") == [ids[0]]


def test_every_marker_name_app_net_lists_is_kept(api, people):
    """The fixed names, and the ``user:ID`` marker a user's posts stream keeps (as a channel's
    messages keep ``channel:ID``): each saved, read back, and used as a paging bound."""
    users, tokens = people
    ids = [write(api, tokens["alice"], f"post {i}") for i in range(3)]
    bob = users["bob"]
    names = ["my_stream", "unified", "global", "mentions", "interactions", f"user:{bob.pk}"]
    saved = api.post(
        "/stream/0/posts/marker", tokens["alice"], data=[{"name": n, "id": ids[1]} for n in names]
    ).json()["data"]
    assert [m["name"] for m in saved] == names
    path = f"/stream/0/users/{users['alice'].pk}/posts"
    meta = api.get(path, tokens["bob"]).json()["meta"]
    assert meta["marker"] == {"name": f"user:{users['alice'].pk}"}
    api.post("/stream/0/posts/marker", tokens["bob"], data=meta["marker"] | {"id": ids[1]})
    page = api.get(path, tokens["bob"], since_id="marker").json()
    assert [p["id"] for p in page["data"]] == [ids[2]]
    assert page["meta"]["marker"]["id"] == ids[1]
    # Signed out, a user's posts keep no marker.
    assert "marker" not in api.get(path).json()["meta"]
    assert stream_ids(api, tokens["alice"], since_id="marker") == [ids[2]]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "user:", "id": "1"},
        {"name": "user:me", "id": "1"},
        {"name": "place:1", "id": "1"},
        {"name": ["my_stream"], "id": "1"},
        {"name": "nope", "id": "1"},
        {"name": "my_stream", "id": "x"},
        {"name": "my_stream", "id": "1", "percentage": 101},
        [{"name": "my_stream", "id": "1"}, {"name": "bad", "id": "1"}],
        "just a string",
    ],
)
def test_bad_markers_are_400_and_save_nothing(api, people, body):
    users, tokens = people
    response = api.post("/stream/0/posts/marker", tokens["alice"], data=body)
    assert response.status_code == 400
    assert not users["alice"].stream_markers.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"since_id": "abc"},
        {"count": "0"},
        {"count": "-0"},
        {"before_id": "1" * 30},
        {"since_id": "unknown_marker"},
        {"count": "9" * 40},
    ],
)
def test_bad_pagination_on_streams_is_400(api, people, params):
    users, tokens = people
    for path in ("/stream/0/posts/stream", "/stream/0/posts/stream/global"):
        response = api.get(path, tokens["alice"], **params)
        assert response.status_code == 400, (path, params)
        assert response.json()["meta"]["code"] == 400


def test_personal_stream_needs_the_stream_scope(api, people, token_for):
    users, tokens = people
    token = token_for(users["alice"], ["basic"])
    assert api.get("/stream/0/posts/stream", token).status_code == 403
    assert api.get("/stream/0/posts/stream").status_code == 401
