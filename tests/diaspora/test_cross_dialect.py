"""One data model, three dialects: a diaspora comment is an ADN reply, a reshare an ADN repost,
a like an ADN star (and a pnut bookmark), and the counters agree in every rendering."""

from __future__ import annotations

from posts.models import Post
from tests.post_support import POSTS, quick_post
from tests.post_support import ok as adn_ok

from .support import API, host_id, mention, ok


def _post_id(guid: str) -> int:
    return Post.objects.get(guid=guid).pk


def pnut_ok(response):
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_a_diaspora_comment_is_an_adn_reply_in_the_thread_and_num_replies(
    api, alice, bob, token_for
):
    post = quick_post(alice, "the post")
    data = ok(
        api.post(f"{API}/posts/{post.guid}/comments", token_for(bob), data={"body": "a comment"}),
        201,
    )
    thread = adn_ok(api.get(f"{POSTS}/{post.pk}/replies"))
    reply = next(item for item in thread if item["text"] == "a comment")
    assert reply["reply_to"] == str(post.pk) and reply["user"]["username"] == "bob"
    assert reply["thread_id"] == str(post.pk)
    assert adn_ok(api.get(f"{POSTS}/{post.pk}"))["num_replies"] == 1
    assert reply["id"] == str(_post_id(data["guid"]))  # the same row


def test_an_adn_reply_is_a_diaspora_comment(api, alice, bob, token_for):
    post = quick_post(alice)
    adn_ok(api.post(POSTS, token_for(bob), data={"text": "hi @alice", "reply_to": str(post.pk)}))
    comments = ok(api.get(f"{API}/posts/{post.guid}/comments"))
    assert [c["body"] for c in comments] == [f"hi {mention('alice')}"]
    assert [p["diaspora_id"] for p in comments[0]["mentioned_people"]] == [host_id("alice")]


def test_a_diaspora_mention_reaches_the_adn_mentions_stream(api, alice, bob, token_for):
    post = quick_post(alice)
    body = f"see {mention('alice')}"
    ok(api.post(f"{API}/posts/{post.guid}/comments", token_for(bob), data={"body": body}), 201)
    mentions = adn_ok(api.get(f"/stream/0/users/{alice.pk}/mentions", token_for(alice)))
    assert [m["text"] for m in mentions] == ["see @alice"]
    assert mentions[0]["entities"]["mentions"][0]["id"] == str(alice.pk)


def test_a_reshare_is_an_adn_repost_and_an_adn_repost_is_a_reshare(
    api, alice, bob, make_user, token_for
):
    post = quick_post(alice, "share me")
    data = ok(api.post(f"{API}/posts/{post.guid}/reshares", token_for(bob)))
    carol = make_user("carol")
    adn_ok(api.post(f"{POSTS}/{post.pk}/repost", token_for(carol)))
    original = adn_ok(api.get(f"{POSTS}/{post.pk}", token_for(bob)))
    assert original["num_reposts"] == 2 and original["you_reposted"] is True
    reposters = adn_ok(api.get(f"{POSTS}/{post.pk}/reposters"))
    assert {u["username"] for u in reposters} == {"bob", "carol"}
    adn_repost = adn_ok(api.get(f"{POSTS}/{_post_id(data['guid'])}"))
    assert adn_repost["repost_of"]["id"] == str(post.pk)
    reshares = ok(api.get(f"{API}/posts/{post.guid}/reshares"))
    assert [r["author"]["diaspora_id"] for r in reshares] == [host_id("bob"), host_id("carol")]


def test_a_like_is_an_adn_star_and_an_adn_star_is_a_like(api, alice, bob, make_user, token_for):
    post = quick_post(alice)
    assert api.post(f"{API}/posts/{post.guid}/likes", token_for(bob)).status_code == 204
    adn_ok(api.post(f"{POSTS}/{post.pk}/star", token_for(make_user("carol"))))
    seen_by_bob = adn_ok(api.get(f"{POSTS}/{post.pk}", token_for(bob)))
    assert seen_by_bob["num_stars"] == 2 and seen_by_bob["you_starred"] is True
    likes = ok(api.get(f"{API}/posts/{post.guid}/likes"))
    assert [like["author"]["diaspora_id"] for like in likes] == [host_id("bob"), host_id("carol")]


def test_counters_agree_in_the_adn_pnut_and_diaspora_renderings(
    api, alice, bob, make_user, token_for
):
    post = quick_post(alice)
    carol = make_user("carol")
    for user in (bob, carol):
        token = token_for(user)
        ok(api.post(f"{API}/posts/{post.guid}/comments", token, data={"body": "yes"}), 201)
        api.post(f"{API}/posts/{post.guid}/likes", token)
    ok(api.post(f"{API}/posts/{post.guid}/reshares", token_for(bob)))
    diaspora = ok(api.get(f"{API}/posts/{post.guid}", token_for(bob)))
    adn = adn_ok(api.get(f"{POSTS}/{post.pk}", token_for(bob)))
    pnut = pnut_ok(api.get(f"/v1/posts/{post.pk}", token_for(bob)))
    assert diaspora["interaction_counters"] == {"comments": 2, "likes": 2, "reshares": 1}
    assert (adn["num_replies"], adn["num_stars"], adn["num_reposts"]) == (2, 2, 1)
    assert (pnut["counts"]["replies"], pnut["counts"]["bookmarks"], pnut["counts"]["reposts"]) == (
        2,
        2,
        1,
    )
    own = diaspora["own_interaction_state"]
    assert own["liked"] is adn["you_starred"] is pnut["you_bookmarked"] is True
    assert own["reshared"] is adn["you_reposted"] is pnut["you_reposted"] is True
    assert own["subscribed"] is True
    assert len(ok(api.get(f"{API}/posts/{post.guid}/comments"))) == 2


def test_a_comment_deleted_by_the_posts_author_is_gone_from_the_adn_thread(
    api, alice, bob, token_for
):
    post = quick_post(alice)
    data = ok(
        api.post(f"{API}/posts/{post.guid}/comments", token_for(bob), data={"body": "x"}), 201
    )
    response = api.delete(f"{API}/posts/{post.guid}/comments/{data['guid']}", token_for(alice))
    assert response.status_code == 204
    reply = adn_ok(api.get(f"{POSTS}/{_post_id(data['guid'])}"))
    assert reply["is_deleted"] is True
    assert adn_ok(api.get(f"{POSTS}/{post.pk}"))["num_replies"] == 0
