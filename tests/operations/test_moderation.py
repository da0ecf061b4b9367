"""Moderation in the admin: the reports queue and its actions, deleting posts as a moderator,
suspending users and revoking apps' tokens, each seen through the API afterwards."""

from __future__ import annotations

import pytest
from django.test import Client

from posts.models import Post, Report
from posts.services.posting import create_post
from users.models import User

from ..post_support import ok

pytestmark = pytest.mark.django_db(transaction=True)  # fan-out runs when posts commit

REPORTS = "/admin/posts/report/"
POSTS = "/admin/posts/post/"
USERS = "/admin/users/user/"
APPS = "/admin/oauth2_provider/application/"


def act(client: Client, changelist: str, action: str, objects) -> str:
    """Run an admin action on ``objects`` as the changelist's form does; returns the page it
    lands on, messages included."""
    response = client.post(
        changelist,
        {"action": action, "index": 0, "_selected_action": [o.pk for o in objects]},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reported(make_user, token_for, api):
    """bob follows alice; alice's post and her comment (a reply) are reported by bob and carol."""
    alice, bob, carol = (make_user(n) for n in ("alice", "bob", "carol"))
    tokens = {u.username: token_for(u) for u in (alice, bob, carol)}
    ok(api.post(f"/stream/0/users/{alice.pk}/follow", tokens["bob"]))
    post = create_post(alice, text="buy cheap watches")
    comment = create_post(alice, text="really cheap", reply_to=post.pk)
    report = Report.objects.create(post=post, reporter=bob, reason="spam")
    Report.objects.create(post=post, reporter=carol, reason="spam too")
    comment_report = Report.objects.create(post=comment, reporter=bob, reason="more spam")
    return alice, bob, carol, tokens, post, comment, report, comment_report


def stream_ids(api, token) -> list[str]:
    return [p["id"] for p in ok(api.get("/stream/0/posts/stream", token, count=200))]


def test_the_queue_lists_open_reports_of_posts_and_comments(moderator_client, reported):
    *_, post, comment, report, comment_report = reported
    page = moderator_client.get(REPORTS, {"status__exact": "open"}).content.decode()
    assert "buy cheap watches" in page and "really cheap" in page
    assert "reply / comment" in page
    assert "@alice" in page and "more spam" in page


def test_dismissing_closes_the_report_and_leaves_the_post(moderator_client, api, reported):
    alice, bob, carol, tokens, post, comment, report, comment_report = reported
    page = act(moderator_client, REPORTS, "dismiss", [report])
    assert "Dismissed 1 open report(s)." in page
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 2
    assert str(post.pk) in stream_ids(api, tokens["bob"])


def test_deleting_reported_content_is_the_authors_own_delete(moderator_client, api, reported):
    alice, bob, carol, tokens, post, comment, report, comment_report = reported
    assert str(comment.pk) in stream_ids(api, tokens["bob"])
    page = act(moderator_client, REPORTS, "delete_content", [comment_report])
    assert "Deleted 1 post(s); 1 report(s) actioned." in page
    comment.refresh_from_db()
    post.refresh_from_db()
    alice.refresh_from_db()
    # As if alice had deleted it herself: a tombstone, the thread and her counters follow.
    assert comment.is_deleted and comment.text == ""
    assert post.num_replies == 0
    assert alice.posts_count == 1
    shown = ok(api.get(f"/stream/0/posts/{comment.pk}", tokens["bob"]))
    assert shown["is_deleted"] is True and "text" not in shown
    in_stream = ok(api.get("/stream/0/posts/stream", tokens["bob"], include_deleted=0))
    assert str(comment.pk) not in [p["id"] for p in in_stream]
    comment_report.refresh_from_db()
    assert comment_report.status == Report.Status.ACTIONED
    # The report of the other post is untouched.
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN


def test_deleting_content_closes_every_open_report_of_it(moderator_client, reported):
    *_, post, comment, report, comment_report = reported
    act(moderator_client, REPORTS, "delete_content", [report])
    statuses = dict(Report.objects.filter(post=post).values_list("reporter__username", "status"))
    assert statuses == {"bob": "actioned", "carol": "actioned"}


def test_suspending_the_author_hides_their_posts_and_refuses_their_token(
    moderator_client, api, reported
):
    alice, bob, carol, tokens, post, comment, report, comment_report = reported
    page = act(moderator_client, REPORTS, "suspend_author", [report])
    assert "Suspended 1 user(s); 3 report(s) actioned." in page
    alice.refresh_from_db()
    assert alice.is_active is False
    assert api.get("/stream/0/token", tokens["alice"]).status_code == 401
    assert str(post.pk) not in stream_ids(api, tokens["bob"])
    assert api.get(f"/stream/0/posts/{post.pk}").status_code == 404
    assert not Report.objects.filter(status=Report.Status.OPEN).exists()
    # Nothing was deleted: the posts are still there for when the suspension is lifted.
    assert Post.objects.filter(user=alice, is_deleted=False).count() == 2


def test_post_admin_deletes_as_a_moderator(moderator_client, api, reported):
    alice, bob, carol, tokens, post, comment, report, comment_report = reported
    page = act(moderator_client, POSTS, "delete_as_moderator", [post])
    assert "Deleted 1 post(s)." in page
    post.refresh_from_db()
    assert post.is_deleted
    # Deleting again is harmless.
    assert "Deleted 0 post(s)." in act(moderator_client, POSTS, "delete_as_moderator", [post])
    assert ok(api.get(f"/stream/0/posts/{post.pk}"))["is_deleted"] is True


def test_posts_cannot_be_edited_or_deleted_raw_in_the_admin(moderator_client, reported):
    *_, post, comment, report, comment_report = reported
    change = moderator_client.get(f"{POSTS}{post.pk}/change/").content.decode()
    assert "buy cheap watches" in change and 'name="_save"' not in change
    assert moderator_client.get(f"{POSTS}{post.pk}/delete/").status_code == 403
    assert moderator_client.get(f"{POSTS}add/").status_code == 403


def test_user_admin_suspends_and_restores(moderator_client, moderator, api, reported):
    alice, bob, carol, tokens, post, *_ = reported
    page = act(moderator_client, USERS, "suspend_users", [alice, moderator])
    assert "You cannot suspend yourself." in page and "Suspended 1 user(s)." in page
    assert api.get("/stream/0/token", tokens["alice"]).status_code == 401
    assert User.objects.get(pk=moderator.pk).is_active
    assert str(post.pk) not in stream_ids(api, tokens["bob"])

    page = act(moderator_client, USERS, "unsuspend_users", [alice])
    assert "Restored 1 user(s)." in page
    assert api.get("/stream/0/token", tokens["alice"]).status_code == 200
    assert str(post.pk) in stream_ids(api, tokens["bob"])


def test_revoking_an_apps_tokens_logs_its_users_out(moderator_client, api, oauth_app, reported):
    alice, bob, carol, tokens, *_ = reported
    page = act(moderator_client, APPS, "revoke_all_tokens", [oauth_app])
    assert "Revoked 3 token(s)." in page
    for token in tokens.values():
        assert api.get("/stream/0/token", token).status_code == 401


def test_non_staff_cannot_moderate(make_user, reported):
    *_, post, comment, report, comment_report = reported
    user = make_user("mallory")
    client = Client()
    client.force_login(user)
    response = client.post(
        REPORTS, {"action": "delete_content", "index": 0, "_selected_action": [report.pk]}
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    post.refresh_from_db()
    assert not post.is_deleted
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN


def test_the_reports_queue_costs_the_same_queries_for_any_length(
    moderator_client, make_user, django_assert_max_num_queries
):
    author = make_user("author")
    reporters = [make_user(f"r{i}") for i in range(25)]
    post = create_post(author, text="reported a lot")
    Report.objects.create(post=post, reporter=reporters[0])
    with django_assert_max_num_queries(12):
        assert moderator_client.get(REPORTS).status_code == 200
    for reporter in reporters[1:]:
        Report.objects.create(post=create_post(author, text="more"), reporter=reporter)
    with django_assert_max_num_queries(12):
        assert moderator_client.get(REPORTS).status_code == 200
