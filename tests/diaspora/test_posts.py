"""``GET /api/v1/posts/{guid}``: a post in diaspora's shape, with the viewer's own state."""

from __future__ import annotations

from posts.services.posting import create_post, delete_post
from posts.services.reports import report_post
from posts.services.stars import star
from reposts.services import repost
from tests.post_support import quick_post

from .support import API, RESHARE_POST_EXAMPLE, assert_shape, diaspora_error, host_id, mention, ok

NOT_FOUND = "Post with provided guid could not be found"


def test_a_post_has_the_seeds_post_keys_and_no_root(api, alice, bob, token_for):
    post = create_post(alice, text="# Hello\nand hi @bob", is_nsfw=True)
    data = ok(api.get(f"{API}/posts/{post.guid}", token_for(bob)))
    assert_shape(data, {k: v for k, v in RESHARE_POST_EXAMPLE.items() if k != "root"})
    assert "root" not in data
    assert data["post_type"] == "StatusMessage"
    assert data["title"] == "Hello"
    assert data["body"] == f"# Hello\nand hi {mention('bob')}"
    assert [p["diaspora_id"] for p in data["mentioned_people"]] == [host_id("bob")]
    assert data["nsfw"] is True and data["public"] is True
    assert data["author"]["name"] == "Alice Testing"


def test_own_interaction_state_is_the_viewers(api, alice, bob, make_user, token_for):
    post = quick_post(alice)
    star(bob, post)
    repost(bob, post)
    report_post(bob, post, "meh")
    seen_by_bob = ok(api.get(f"{API}/posts/{post.guid}", token_for(bob)))["own_interaction_state"]
    assert seen_by_bob == {
        "liked": True,
        "reshared": True,
        "reshated": True,
        "subscribed": True,
        "reported": True,
    }
    carol = make_user("carol")
    seen_by_carol = ok(api.get(f"{API}/posts/{post.guid}", token_for(carol)))
    assert not any(seen_by_carol["own_interaction_state"].values())
    create_post(carol, text="a comment", reply_to=post.pk)
    seen_by_carol = ok(api.get(f"{API}/posts/{post.guid}", token_for(carol)))
    assert seen_by_carol["own_interaction_state"]["subscribed"] is True
    anonymous = ok(api.get(f"{API}/posts/{post.guid}"))
    assert not any(anonymous["own_interaction_state"].values())
    assert anonymous["interaction_counters"] == {"comments": 1, "likes": 1, "reshares": 1}


def test_a_reshare_shows_its_roots_text_and_names_the_root(api, alice, bob):
    post = quick_post(alice, "the root's words")
    reshare, _ = repost(bob, post)
    data = ok(api.get(f"{API}/posts/{reshare.guid}"))
    assert data["post_type"] == "Reshare" and data["body"] == "the root's words"
    assert data["root"]["guid"] == post.guid


def test_a_deleted_post_is_404(api, alice):
    post = quick_post(alice)
    delete_post(alice, post.pk)
    diaspora_error(api.get(f"{API}/posts/{post.guid}"), 404, NOT_FOUND)


def test_a_suspended_authors_post_is_404(api, alice):
    post = quick_post(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    diaspora_error(api.get(f"{API}/posts/{post.guid}"), 404, NOT_FOUND)
