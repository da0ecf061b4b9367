"""ADN reposts: ``POST/DELETE posts/{id}/repost``, ``posts/{id}/reposters``, and how reposts
behave everywhere else (delete, star, reply, samples)."""

from __future__ import annotations

import pytest

from posts.models import Post, Star
from users.models import User
from users.services import graph

from .post_support import POSTS, error, new_post, ok, quick_post, snapshot

# The shapes of the seed examples (001 and the later revision 003, which adds canonical_url):
# every key, with its type. ``None``: the seed shows null (a string when set).
MENTION = {"name": str, "id": str, "pos": int, "len": int}
HASHTAG = {"name": str, "pos": int, "len": int}
LINK = {"text": str, "url": str, "pos": int, "len": int}
SEED_POST = {
    "id": str,
    "user": dict,
    "created_at": str,
    "canonical_url": str,
    "text": str,
    "html": str,
    "source": {"client_id": str, "name": str, "link": str},
    "machine_only": bool,
    "reply_to": None,
    "thread_id": str,
    "num_replies": int,
    "num_reposts": int,
    "num_stars": int,
    "entities": {"mentions": [MENTION], "hashtags": [HASHTAG], "links": [LINK]},
    "you_reposted": bool,
    "you_starred": bool,
}
SEED_REPOST = {**SEED_POST, "repost_of": SEED_POST}


def assert_shape(value, spec, where="data") -> None:
    if spec is None:
        assert value is None or isinstance(value, str), where
    elif isinstance(spec, dict):
        assert isinstance(value, dict), where
        for key, item_spec in spec.items():
            assert key in value, f"{where}.{key} is missing"
            assert_shape(value[key], item_spec, f"{where}.{key}")
    elif isinstance(spec, list):
        assert isinstance(value, list) and value, f"{where} should be a non-empty list"
        for index, item in enumerate(value):
            assert_shape(item, spec[0], f"{where}[{index}]")
    else:
        assert type(value) is spec, f"{where} is {type(value).__name__}, not {spec.__name__}"


@pytest.fixture
def rich_post(api, alice, carol, token_for):
    """An original with a mention, a hashtag and a link, as in the seed examples."""
    return new_post(
        api, token_for(alice), "@carol come to the first #adnhack => http://appnet.eventbrite.com/"
    )


def posts_count(user: User) -> int:
    return User.objects.get(pk=user.pk).posts_count


def test_repost_answers_the_new_repost_in_the_seeds_shape(api, alice, bob, rich_post, token_for):
    data = ok(api.post(f"{POSTS}/{rich_post['id']}/repost", token_for(bob)))
    assert_shape(data, SEED_REPOST)
    assert data["id"] != rich_post["id"]
    assert data["user"]["username"] == "bob"
    assert data["thread_id"] == data["id"]  # a repost starts its own thread (CONTRACT §3)
    assert data["reply_to"] is None
    assert data["you_reposted"] is False and data["you_starred"] is False
    original = data["repost_of"]
    assert original["id"] == rich_post["id"] and original["user"]["username"] == "alice"
    assert original["you_reposted"] is True
    assert original["num_reposts"] == 1
    assert original["text"] == rich_post["text"]
    assert posts_count(bob) == 1
    assert ok(api.get(f"{POSTS}/{rich_post['id']}"))["num_reposts"] == 1


def test_repost_text_entities_and_html_point_at_their_own_characters(
    api, alice, bob, rich_post, token_for
):
    data = ok(api.post(f"{POSTS}/{rich_post['id']}/repost", token_for(bob)))
    text = data["text"]
    assert text == ">> @alice: " + rich_post["text"]
    author, *others = data["entities"]["mentions"]
    assert (author["name"], author["id"], author["pos"], author["len"]) == (
        "alice",
        rich_post["user"]["id"],
        3,
        6,
    )
    assert [m["name"] for m in others] == ["carol"]
    for mention in data["entities"]["mentions"]:
        assert text[mention["pos"] : mention["pos"] + mention["len"]] == "@" + mention["name"]
    for tag in data["entities"]["hashtags"]:
        assert text[tag["pos"] : tag["pos"] + tag["len"]] == "#" + tag["name"]
    (link,) = data["entities"]["links"]
    assert text[link["pos"] : link["pos"] + link["len"]] == link["text"]
    assert link["url"] == "http://appnet.eventbrite.com/"
    prefix_len = len(">> @alice: ")
    for kind in ("hashtags", "links"):
        assert [e["pos"] - prefix_len for e in data["entities"][kind]] == [
            e["pos"] for e in rich_post["entities"][kind]
        ]
    html = data["html"]
    assert "&gt;&gt; " in html
    assert f'data-mention-id="{rich_post["user"]["id"]}"' in html and ">@alice</span>: " in html
    assert 'data-hashtag-name="adnhack" itemprop="hashtag">#adnhack</span>' in html
    assert '<a href="http://appnet.eventbrite.com/">' in html


def test_reposts_of_long_posts_may_exceed_256_characters(api, alice, bob, token_for):
    post = quick_post(alice, "x" * 256)
    data = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    assert len(data["text"]) == 256 + len(">> @alice: ")


def test_unrepost_answers_the_original_in_the_seeds_shape(api, alice, bob, rich_post, token_for):
    token = token_for(bob)
    repost = ok(api.post(f"{POSTS}/{rich_post['id']}/repost", token))
    data = ok(api.delete(f"{POSTS}/{rich_post['id']}/repost", token))
    assert_shape(data, SEED_POST)
    assert "repost_of" not in data
    assert data["id"] == rich_post["id"]
    assert data["you_reposted"] is False and data["num_reposts"] == 0
    assert not Post.objects.filter(pk=repost["id"]).exists()
    assert posts_count(bob) == 0
    error(api.get(f"{POSTS}/{repost['id']}"), 404)


def test_deleting_a_repost_by_its_own_id_unreposts(api, alice, bob, rich_post, token_for):
    token = token_for(bob)
    repost = ok(api.post(f"{POSTS}/{rich_post['id']}/repost", token))
    data = ok(api.delete(f"{POSTS}/{repost['id']}", token))
    assert_shape(data, SEED_POST)
    assert data["id"] == rich_post["id"]
    assert data["you_reposted"] is False and data["num_reposts"] == 0
    assert posts_count(bob) == 0
    error(api.get(f"{POSTS}/{repost['id']}"), 404)
    before = snapshot()
    error(api.delete(f"{POSTS}/{repost['id']}", token), 404)
    assert snapshot() == before


def test_someone_elses_repost_cannot_be_deleted(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    repost = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    before = snapshot()
    error(api.delete(f"{POSTS}/{repost['id']}", token_for(carol)), 403)
    error(api.delete(f"{POSTS}/{repost['id']}", token_for(alice)), 403)
    assert snapshot() == before


def test_unrepost_without_a_repost_changes_nothing(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    before = snapshot()
    data = ok(api.delete(f"{POSTS}/{post.pk}/repost", token_for(carol)))
    assert data["num_reposts"] == 1 and data["you_reposted"] is False
    assert snapshot() == before


def test_reposting_twice_returns_the_existing_repost(api, alice, bob, token_for):
    post = quick_post(alice)
    token = token_for(bob)
    first = ok(api.post(f"{POSTS}/{post.pk}/repost", token))
    second = ok(api.post(f"{POSTS}/{post.pk}/repost", token))
    assert second["id"] == first["id"]
    assert second["repost_of"]["num_reposts"] == 1
    assert Post.objects.filter(repost_of=post).count() == 1
    assert posts_count(bob) == 1


def test_reposting_a_repost_reposts_the_original(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    bobs = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    carols = ok(api.post(f"{POSTS}/{bobs['id']}/repost", token_for(carol)))
    assert carols["repost_of"]["id"] == str(post.pk)
    assert carols["text"].startswith(">> @alice: ")
    assert carols["repost_of"]["num_reposts"] == 2
    assert not Post.objects.filter(repost_of_id=bobs["id"]).exists()
    # Unreposting through bob's repost removes carol's repost of the original.
    data = ok(api.delete(f"{POSTS}/{bobs['id']}/repost", token_for(carol)))
    assert data["id"] == str(post.pk) and data["num_reposts"] == 1
    assert not Post.objects.filter(pk=carols["id"]).exists()


def test_reposting_your_own_post_is_400_even_through_a_repost(api, alice, bob, token_for):
    post = quick_post(alice)
    bobs = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    before = snapshot()
    assert "own" in error(api.post(f"{POSTS}/{post.pk}/repost", token_for(alice)), 400)
    assert "own" in error(api.post(f"{POSTS}/{bobs['id']}/repost", token_for(alice)), 400)
    assert snapshot() == before


def test_replying_to_a_repost_replies_to_the_original(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    bobs = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    reply = new_post(api, token_for(carol), "reply", reply_to=bobs["id"])
    assert reply["reply_to"] == str(post.pk) and reply["thread_id"] == str(post.pk)
    assert Post.objects.get(pk=post.pk).num_replies == 1
    # The thread asked for through the repost is the original's.
    thread = ok(api.get(f"{POSTS}/{bobs['id']}/replies"))
    assert [p["id"] for p in thread] == [reply["id"], str(post.pk)]


def test_deleting_the_original_deletes_its_reposts(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    reposts = [ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(u))) for u in (bob, carol)]
    ok(api.post(f"{POSTS}/{post.pk}/star", token_for(bob)))
    data = ok(api.delete(f"{POSTS}/{post.pk}", token_for(alice)))
    assert data["is_deleted"] is True and data["num_reposts"] == 0
    for repost in reposts:
        error(api.get(f"{POSTS}/{repost['id']}"), 404)
    assert not Post.objects.filter(repost_of=post).exists()
    assert [posts_count(u) for u in (alice, bob, carol)] == [0, 0, 0]
    # Nothing more to repost or unrepost.
    error(api.post(f"{POSTS}/{post.pk}/repost", token_for(carol)), 404)
    assert ok(api.delete(f"{POSTS}/{post.pk}/repost", token_for(bob)))["num_reposts"] == 0
    assert [posts_count(u) for u in (alice, bob, carol)] == [0, 0, 0]


def test_a_user_blocked_by_the_author_cannot_repost(api, alice, bob, token_for):
    post = quick_post(alice)
    graph.block(alice, bob)
    before = snapshot()
    error(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)), 403)
    assert snapshot() == before


def test_repost_needs_a_user_token_with_write_post(api, alice, bob, token_for):
    post = quick_post(alice)
    before = snapshot()
    error(api.post(f"{POSTS}/{post.pk}/repost"), 401)
    error(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob, ["basic"])), 403)
    error(api.post(f"{POSTS}/424242/repost", token_for(bob)), 404)
    assert snapshot() == before


def test_reposters_sample_and_list(api, alice, make_user, token_for):
    post = quick_post(alice)
    fans = [make_user(f"fan{i}") for i in range(3)]
    reposts = [ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(f))) for f in fans]
    assert "reposters" not in ok(api.get(f"{POSTS}/{post.pk}"))
    data = ok(api.get(f"{POSTS}/{post.pk}", include_reposters=1))
    assert [u["username"] for u in data["reposters"]] == ["fan2", "fan1", "fan0"]
    # A repost in a list carries the sample on its embedded original.
    data = ok(api.get(f"{POSTS}/{reposts[0]['id']}", include_reposters=1))
    assert [u["username"] for u in data["repost_of"]["reposters"]] == ["fan2", "fan1", "fan0"]
    for target in (post.pk, reposts[1]["id"]):
        listed = ok(api.get(f"{POSTS}/{target}/reposters"))
        assert [u["username"] for u in listed] == ["fan2", "fan1", "fan0"]


def test_samples_prefer_people_the_viewer_follows(api, alice, make_user, token_for):
    """App.net: starred_by and reposters are samples "giving preference to users the current
    user follows". Twelve fans star and repost; the viewer follows the two oldest, who lead
    the sample of ten, and the rest are the newest."""
    from posts.services.stars import star
    from users.services import graph

    post = quick_post(alice)
    fans = [make_user(f"fan{i}") for i in range(12)]
    for fan in fans:
        star(fan, post)
        ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(fan)))
    viewer = make_user("viewer")
    graph.follow(viewer, fans[0])
    graph.follow(viewer, fans[1])
    params = {"include_starred_by": 1, "include_reposters": 1}
    data = ok(api.get(f"{POSTS}/{post.pk}", token_for(viewer), **params))
    newest = [f"fan{i}" for i in range(11, 3, -1)]
    for sample in (data["starred_by"], data["reposters"]):
        assert [u["username"] for u in sample] == ["fan1", "fan0", *newest]
    assert data["starred_by"][0]["you_follow"] is True
    # Signed out, or following nobody: the newest ten.
    anonymous = ok(api.get(f"{POSTS}/{post.pk}", **params))
    assert [u["username"] for u in anonymous["starred_by"]] == [f"fan{i}" for i in range(11, 1, -1)]
    pnut = ok(api.get(f"/v1/posts/{post.pk}", token_for(viewer), include_bookmarked_by=1))
    assert [u["username"] for u in pnut["bookmarked_by"]][:2] == ["fan1", "fan0"]


def test_reposts_are_left_out_of_the_thread_and_cannot_be_starred_themselves(
    api, alice, bob, carol, token_for
):
    post = quick_post(alice)
    bobs = ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(bob)))
    assert [p["id"] for p in ok(api.get(f"{POSTS}/{post.pk}/replies"))] == [str(post.pk)]
    ok(api.post(f"{POSTS}/{bobs['id']}/star", token_for(carol)))
    assert not Star.objects.filter(post_id=bobs["id"]).exists()
    assert Star.objects.filter(post=post, user=carol).exists()


REPOSTERS_QUERIES = 4  # token, the post, the repost page with its users, the viewer's relations


@pytest.mark.parametrize("n", [20, 200])
def test_reposters_runs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    from reposts.services import repost

    post = quick_post(make_user("author"))
    for i in range(n):
        repost(make_user(f"fan{i}"), post)
    token = token_for(make_user("viewer"))
    with django_assert_max_num_queries(REPOSTERS_QUERIES):
        data = ok(api.get(f"{POSTS}/{post.pk}/reposters", token, count=200))
    assert len(data) == n
