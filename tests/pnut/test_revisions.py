"""Revising a post (pnut's ``PUT posts/{id}``) and its earlier versions
(``GET posts/{id}/revisions``), within pnut's rules; reposts made before a revision keep the
words they reposted, in all three dialects (the reposts seed, 002)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from posts.models import Post, PostHashtag, PostMention, PostRevision
from reposts.services import repost

from ..concurrency import run_together
from ..post_support import quick_post, snapshot
from .support import V1, assert_post_shape, data_of, error_of

pytestmark = pytest.mark.django_db


def revise(api, token, post_id, text, **fields):
    return api.put(f"{V1}/posts/{post_id}", token, data={"text": text, **fields})


@pytest.fixture
def posted(alice, bob):
    return quick_post(alice, "first words about #pnut for @bob")


def test_the_author_revises_within_the_window_and_the_post_says_so(api, tokens, posted):
    revised = data_of(revise(api, tokens["alice"], posted.pk, "@bob better words on #pnut"), 201)
    assert_post_shape(revised, viewer=True, extra={"is_revised"})
    assert revised["id"] == str(posted.pk) and revised["is_revised"] is True
    assert revised["content"]["text"] == "@bob better words on #pnut"
    assert [t["text"] for t in revised["content"]["entities"]["tags"]] == ["pnut"]
    assert revised["content"]["entities"]["mentions"][0]["is_leading"] is True
    again = data_of(api.get(f"{V1}/posts/{posted.pk}", tokens["carol"]))
    assert again["content"]["text"] == "@bob better words on #pnut" and again["is_revised"]
    # A post never revised does not say so at all (pnut: "only set if true").
    other = quick_post(posted.user, "never revised")
    assert "is_revised" not in data_of(api.get(f"{V1}/posts/{other.pk}"))


def test_revisions_list_every_earlier_version_numbered_from_zero(api, tokens, posted):
    data_of(revise(api, tokens["alice"], posted.pk, "second words about #pnut for @bob"), 201)
    versions = data_of(api.get(f"{V1}/posts/{posted.pk}/revisions"))
    assert [v["revision"] for v in versions] == ["0"]
    assert versions[0]["content"]["text"] == "first words about #pnut for @bob"
    assert versions[0]["id"] == str(posted.pk)
    assert_post_shape(versions[0], viewer=False, extra={"is_revised", "revision"})
    # The current version is the post itself, not in the list; an unrevised post has none.
    assert data_of(api.get(f"{V1}/posts/{quick_post(posted.user).pk}/revisions")) == []


def test_app_net_clients_see_the_current_version_and_cannot_revise(api, tokens, posted):
    data_of(revise(api, tokens["alice"], posted.pk, "second words about #pnut for @bob"), 201)
    adn = api.get(f"/stream/0/posts/{posted.pk}", tokens["bob"]).json()["data"]
    assert adn["text"] == "second words about #pnut for @bob"
    response = api.put(f"/stream/0/posts/{posted.pk}", tokens["alice"], data={"text": "x #pnut"})
    assert response.status_code == 405


def test_reposts_made_before_a_revision_keep_the_reposted_words_in_every_dialect(
    api, alice, bob, carol, tokens, posted
):
    before = repost(bob, posted)[0]
    data_of(revise(api, tokens["alice"], posted.pk, "@bob revised words, #pnut"), 201)
    after = repost(carol, posted)[0]
    old, new = "first words about #pnut for @bob", "@bob revised words, #pnut"

    pnut_before = data_of(api.get(f"{V1}/posts/{before.pk}", tokens["carol"]))
    assert pnut_before["content"]["text"] == old
    assert pnut_before["repost_of"]["content"]["text"] == old
    assert pnut_before["repost_of"]["revision"] == "0"
    pnut_after = data_of(api.get(f"{V1}/posts/{after.pk}", tokens["carol"]))
    assert pnut_after["repost_of"]["content"]["text"] == new
    assert "revision" not in pnut_after["repost_of"]

    adn_before = api.get(f"/stream/0/posts/{before.pk}", tokens["carol"]).json()["data"]
    assert adn_before["repost_of"]["text"] == old
    assert adn_before["text"] == f">> @alice: {old}"
    adn_after = api.get(f"/stream/0/posts/{after.pk}", tokens["carol"]).json()["data"]
    assert adn_after["repost_of"]["text"] == new

    reshare = api.get(f"/api/v1/posts/{before.guid}").json()
    # diaspora writes the mention of @bob its own way; the words are the reposted ones.
    assert reshare["post_type"] == "Reshare" and reshare["body"].startswith("first words")
    assert "revised words" in api.get(f"/api/v1/posts/{after.guid}").json()["body"]

    # In a list, too: one page shows both reposts with their own versions.
    stream = data_of(api.get(f"{V1}/posts", tokens["carol"], ids=f"{before.pk},{after.pk}"))
    shown = {p["id"]: p["repost_of"]["content"]["text"] for p in stream if "repost_of" in p}
    assert shown == {str(before.pk): old, str(after.pk): new}


def test_a_revision_moves_the_tag_mention_rows_and_search_finds_the_new_words(
    api, tokens, posted, carol
):
    text = "@bob #pnut zebra words"
    data_of(revise(api, tokens["alice"], posted.pk, text), 201)
    assert set(PostHashtag.objects.filter(post=posted).values_list("name", flat=True)) == {"pnut"}
    assert PostMention.objects.filter(post=posted).count() == 1
    assert Post.objects.get(pk=posted.pk).is_directed is True  # @bob now leads
    found = data_of(api.get(f"{V1}/posts/search", tokens["carol"], q="zebra"))
    assert [p["id"] for p in found] == [str(posted.pk)]
    assert data_of(api.get(f"{V1}/posts/search", tokens["carol"], q="first")) == []


@pytest.mark.parametrize(
    "case, status",
    [
        ("someone else's post", 403),
        ("a repost", 400),
        ("a deleted post", 404),
        ("too late", 400),
        ("a second revision", 409),
        ("other entities", 400),
        ("another reply_to", 400),
        ("no text", 400),
        ("too long", 400),
        ("no such post", 404),
        ("a malformed id", 400),
    ],
)
def test_a_refused_revision_answers_pnuts_error_and_changes_nothing(
    api, alice, bob, tokens, posted, case, status
):
    token, post_id, text, extra = tokens["alice"], posted.pk, "@bob other words #pnut", {}
    if case == "someone else's post":
        token = tokens["bob"]
    elif case == "a repost":
        token, post_id = tokens["bob"], repost(bob, posted)[0].pk
    elif case == "a deleted post":
        api.delete(f"{V1}/posts/{posted.pk}", tokens["alice"])
    elif case == "too late":
        Post.objects.filter(pk=posted.pk).update(
            created_at=posted.created_at - timedelta(seconds=301)
        )
    elif case == "a second revision":
        data_of(revise(api, tokens["alice"], posted.pk, "@bob once #pnut"), 201)
    elif case == "other entities":
        text = "@bob other words #nopnut"
    elif case == "another reply_to":
        extra = {"reply_to": quick_post(bob, "elsewhere").pk}
    elif case == "no text":
        text = "  "
    elif case == "too long":
        text = "@bob #pnut " + "x" * 300
    elif case == "no such post":
        post_id = 10**12
    elif case == "a malformed id":
        post_id = "abc"
    before = snapshot()
    revisions_before = list(PostRevision.objects.values_list("post_id", "revision", "text"))
    assert error_of(revise(api, token, post_id, text, **extra), status)
    assert snapshot() == before
    assert list(PostRevision.objects.values_list("post_id", "revision", "text")) == (
        revisions_before
    )


@pytest.mark.django_db(transaction=True)
def test_two_revisions_at_once_leave_exactly_one_recorded(make_user, token_for):
    alice = make_user("alice")
    make_user("bob")  # mentioned
    post = quick_post(alice, "racing words for @bob #pnut")
    token = token_for(alice)
    texts = ["@bob first racer #pnut", "@bob second racer #pnut"]
    results = run_together(
        [("PUT", f"{V1}/posts/{post.pk}", token, {"text": text}) for text in texts]
    )
    assert sorted(status for status, _ in results) == [201, 409]
    winner = next(body["data"] for status, body in results if status == 201)
    post.refresh_from_db()
    assert post.revision == 1 and post.text == winner["content"]["text"] in texts
    versions = list(PostRevision.objects.filter(post=post).values_list("revision", "text"))
    assert versions == [(0, "racing words for @bob #pnut")]


@pytest.mark.parametrize("n", [4, 20])
def test_a_page_of_reposts_of_revised_posts_costs_a_constant_number_of_queries(
    api, make_user, token_for, django_assert_max_num_queries, n
):
    author, reader = make_user("author"), make_user("reader")
    for i in range(n):
        original = quick_post(author, f"version zero {i}")
        repost(make_user(f"fan{i}"), original)
        replaced = original.text.replace("zero", "one")
        data_of(revise(api, token_for(author), original.pk, replaced), 201)
    # As every posts?ids page (tests/pnut/test_queries.py), and one query for every reposted
    # version on the page.
    ids = ",".join(
        str(pk) for pk in Post.objects.filter(repost_of__isnull=False).values_list("pk", flat=True)
    )
    token = token_for(reader)
    with django_assert_max_num_queries(6):
        page = data_of(api.get(f"{V1}/posts", token, ids=ids))
    reposted = [p["repost_of"]["content"]["text"] for p in page if "repost_of" in p]
    assert len(reposted) == n and all("zero" in text for text in reposted)
    # The token, the post, its versions, the viewer's relations, the authors' client counts.
    path, token = f"{V1}/posts/{page[0]['repost_of']['id']}/revisions", token_for(reader)
    with django_assert_max_num_queries(5):
        assert len(data_of(api.get(path, token))) == 1
