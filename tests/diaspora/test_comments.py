"""diaspora comments (seeds/004): list, create, delete, report, and every error row of the seed's
tables. A comment is a reply post; mentions are written ``@{user@host}``."""

from __future__ import annotations

import pytest

from posts.models import Post, Report
from posts.services.posting import delete_post
from posts.services.reports import report_post
from posts.services.stars import star
from tests.post_support import quick_post, snapshot
from users.services import graph

from .support import (
    API,
    COMMENT_ITEM_EXAMPLE,
    COMMENT_POST_EXAMPLE,
    assert_shape,
    comment_on,
    diaspora_error,
    host_id,
    mention,
    ok,
)

POST_NOT_FOUND = "Post with provided guid could not be found"
COMMENT_NOT_FOUND = "Comment not found for the given post"
NOT_ALLOWED = "User is not allowed to comment"
NOT_ACCEPTED = "Couldn't accept or process the comment"
NO_DELETE = "User not allowed to delete the comment"
REPORTED = "This item already has been reported by this user"
UNKNOWN = "ab" * 16


def comments_path(post) -> str:
    guid = post if isinstance(post, str) else post.guid
    return f"{API}/posts/{guid}/comments"


# Listing


def test_comments_are_listed_oldest_first_in_the_seeds_shape(api, alice, bob, token_for):
    post = quick_post(alice, "a wonderful post")
    first = comment_on(post, alice, "What a wonderful post!")
    second = comment_on(post, bob, "Thank you very much, @alice!")
    star(alice, second)
    data = ok(api.get(comments_path(post), token_for(alice)))
    for item in data:
        assert_shape(item, COMMENT_ITEM_EXAMPLE)
    assert [item["guid"] for item in data] == [first.guid, second.guid]
    assert data[0]["mentioned_people"] == [] and data[0]["interactions"]["liked"] is False
    assert data[1]["body"] == f"Thank you very much, {mention('alice')}!"
    assert [p["diaspora_id"] for p in data[1]["mentioned_people"]] == [host_id("alice")]
    assert data[1]["mentioned_people"][0]["guid"] == alice.guid
    assert data[1]["interactions"] == {"liked": True, "likes_count": 1}
    assert data[1]["author"]["name"] == "Bob Testing"


def test_reported_says_whether_the_viewer_reported_the_comment(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    report_post(carol, reply, "spam")
    assert ok(api.get(comments_path(post), token_for(carol)))[0]["reported"] is True
    assert ok(api.get(comments_path(post), token_for(alice)))[0]["reported"] is False


def test_deleted_comments_and_replies_to_other_posts_are_not_listed(api, alice, bob):
    post, other = quick_post(alice), quick_post(alice)
    kept = comment_on(post, bob, "kept")
    gone = comment_on(post, bob, "gone")
    comment_on(other, bob, "elsewhere")
    delete_post(bob, gone.pk)
    assert [item["guid"] for item in ok(api.get(comments_path(post)))] == [kept.guid]


def test_listing_the_comments_of_an_unknown_post_is_404(api):
    diaspora_error(api.get(comments_path(UNKNOWN)), 404, POST_NOT_FOUND)


# Creating


def test_commenting_answers_201_with_the_comment_shaped_like_the_seed(api, alice, bob, token_for):
    post = quick_post(alice)
    response = api.post(
        comments_path(post), token_for(bob), data={"body": "Can I use these for my own website?"}
    )
    data = ok(response, 201)
    assert_shape(data, COMMENT_POST_EXAMPLE)
    reply = Post.objects.get(guid=data["guid"])
    assert reply.reply_to_id == post.pk and reply.user == bob
    assert reply.text == "Can I use these for my own website?"
    assert data["body"] == reply.text and data["author"]["diaspora_id"] == host_id("bob")


@pytest.mark.parametrize("written", ["@{%s}", "@{Alice Testing; %s}"])
def test_a_diaspora_mention_of_a_local_user_becomes_a_mention_of_that_user(
    api, alice, bob, token_for, written
):
    post = quick_post(alice)
    body = f"Thanks, {written % host_id('alice')}!"
    data = ok(api.post(comments_path(post), token_for(bob), data={"body": body}), 201)
    reply = Post.objects.get(guid=data["guid"])
    assert reply.text == "Thanks, @alice!"
    assert [(m["name"], m["id"]) for m in reply.entities["mentions"]] == [("alice", str(alice.pk))]
    assert data["body"] == f"Thanks, {mention('alice')}!"
    assert [p["guid"] for p in data["mentioned_people"]] == [alice.guid]


def test_a_mention_of_someone_on_another_pod_stays_as_written(api, alice, bob, token_for):
    post = quick_post(alice)
    body = "Ask @{zoe@pod.example.org} about it"
    data = ok(api.post(comments_path(post), token_for(bob), data={"body": body}), 201)
    assert data["body"] == body and data["mentioned_people"] == []


def test_commenting_on_an_unknown_post_is_404_and_changes_nothing(api, bob, token_for):
    before = snapshot()
    response = api.post(comments_path(UNKNOWN), token_for(bob), data={"body": "hello"})
    diaspora_error(response, 404, POST_NOT_FOUND)
    assert snapshot() == before


@pytest.mark.parametrize("blocker", ["author", "commenter"])
def test_commenting_across_a_block_is_422_and_changes_nothing(api, alice, bob, token_for, blocker):
    post = quick_post(alice)
    if blocker == "author":
        graph.block(alice, bob)
    else:
        graph.block(bob, alice)
    before = snapshot()
    response = api.post(comments_path(post), token_for(bob), data={"body": "hello"})
    diaspora_error(response, 422, NOT_ALLOWED)
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [{"body": ""}, {"body": "   \n"}, {}, {"body": None}, {"body": 42}, {"body": "x" * 257}],
    ids=["empty", "blank", "missing", "null", "number", "oversize"],
)
def test_an_empty_or_oversize_body_is_422_and_changes_nothing(api, alice, bob, token_for, data):
    post = quick_post(alice)
    before = snapshot()
    diaspora_error(api.post(comments_path(post), token_for(bob), data=data), 422, NOT_ACCEPTED)
    assert snapshot() == before


def test_commenting_needs_interactions_or_write_post(api, alice, bob, token_for):
    post = quick_post(alice)
    before = snapshot()
    for scopes in (["public:modify"], ["public:read"]):
        message = diaspora_error(
            api.post(comments_path(post), token_for(bob, scopes), data={"body": "hi"}), 403
        )
        assert "interactions" in message
    assert snapshot() == before
    for scopes in (["interactions"], ["write_post"]):
        ok(api.post(comments_path(post), token_for(bob, scopes), data={"body": "hi"}), 201)
    assert Post.objects.filter(reply_to=post).count() == 2


# Deleting


def delete_path(post, reply) -> str:
    guid = reply if isinstance(reply, str) else reply.guid
    return f"{comments_path(post)}/{guid}"


@pytest.mark.parametrize("deleter", ["comment's author", "post's author"])
def test_a_comment_is_deleted_by_its_author_or_the_posts_author(
    api, alice, bob, token_for, deleter
):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    token = token_for(bob if deleter == "comment's author" else alice)
    response = api.delete(delete_path(post, reply), token)
    assert response.status_code == 204 and response.content == b""
    reply.refresh_from_db()
    post.refresh_from_db()
    assert reply.is_deleted and post.num_replies == 0
    assert ok(api.get(comments_path(post))) == []


def test_deleting_someone_elses_comment_on_someone_elses_post_is_403(
    api, alice, bob, carol, token_for
):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    before = snapshot()
    diaspora_error(api.delete(delete_path(post, reply), token_for(carol)), 403, NO_DELETE)
    assert snapshot() == before


def test_deleting_a_comment_of_an_unknown_post_is_404(api, alice, bob, token_for):
    reply = comment_on(quick_post(alice), bob)
    before = snapshot()
    diaspora_error(api.delete(delete_path(UNKNOWN, reply), token_for(bob)), 404, POST_NOT_FOUND)
    assert snapshot() == before


@pytest.mark.parametrize("which", ["unknown", "on another post", "already deleted"])
def test_deleting_a_comment_not_on_that_post_is_410(api, alice, bob, token_for, which):
    post, other = quick_post(alice), quick_post(alice)
    if which == "unknown":
        guid = UNKNOWN
    elif which == "on another post":
        guid = comment_on(other, bob).guid
    else:
        gone = comment_on(post, bob)
        delete_post(bob, gone.pk)
        guid = gone.guid
    before = snapshot()
    diaspora_error(api.delete(delete_path(post, guid), token_for(bob)), 410, COMMENT_NOT_FOUND)
    assert snapshot() == before


def test_deleting_needs_a_user_token(api, alice, bob):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    before = snapshot()
    diaspora_error(api.delete(delete_path(post, reply)), 401)
    assert snapshot() == before


# Reporting


def report_path(post, reply) -> str:
    return f"{delete_path(post, reply)}/report"


def test_reporting_a_comment_answers_204_and_queues_the_report(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    reason = "Using my images without my permission."
    response = api.post(report_path(post, reply), token_for(carol), data={"reason": reason})
    assert response.status_code == 204 and response.content == b""
    report = Report.objects.get()
    assert (report.post_id, report.reporter_id, report.reason) == (reply.pk, carol.pk, reason)


def test_reporting_on_an_unknown_post_is_404(api, alice, bob, carol, token_for):
    reply = comment_on(quick_post(alice), bob)
    before = snapshot()
    response = api.post(report_path(UNKNOWN, reply), token_for(carol), data={"reason": "spam"})
    diaspora_error(response, 404, POST_NOT_FOUND)
    assert snapshot() == before


@pytest.mark.parametrize("which", ["unknown", "on another post"])
def test_reporting_a_comment_not_on_that_post_is_404(api, alice, bob, carol, token_for, which):
    post, other = quick_post(alice), quick_post(alice)
    guid = UNKNOWN if which == "unknown" else comment_on(other, bob).guid
    before = snapshot()
    response = api.post(report_path(post, guid), token_for(carol), data={"reason": "spam"})
    diaspora_error(response, 404, COMMENT_NOT_FOUND)
    assert snapshot() == before


def test_reporting_a_comment_twice_is_409(api, alice, bob, carol, token_for):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    token = token_for(carol)
    api.post(report_path(post, reply), token, data={"reason": "spam"})
    before = snapshot()
    response = api.post(report_path(post, reply), token, data={"reason": "still spam"})
    diaspora_error(response, 409, REPORTED)
    assert snapshot() == before
    assert Report.objects.get().reason == "spam"


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "  "}])
def test_a_report_without_a_reason_is_422(api, alice, bob, carol, token_for, data):
    post = quick_post(alice)
    reply = comment_on(post, bob)
    before = snapshot()
    diaspora_error(api.post(report_path(post, reply), token_for(carol), data=data), 422)
    assert snapshot() == before
