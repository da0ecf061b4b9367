"""The moderators group: exactly the permissions moderation takes, joined by
``create_user --moderator``; what its members may and may not do in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from posts.models import Report
from posts.services.posting import create_post
from users.models import User

from .moderators import ensure_moderators_group

pytestmark = pytest.mark.django_db


def test_the_group_holds_exactly_what_moderation_takes():
    ensure_moderators_group()
    group = Group.objects.get(name="moderators")
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == {
        "posts.view_report",
        "posts.change_report",
        "users.view_user",
        "users.change_user",
        "posts.view_post",
        "posts.change_post",
        "files.view_file",
        "files.delete_file",
    }


def test_the_migration_made_the_group():
    # Unless a transactional test flushed the tables since, the migration's group is here.
    group = Group.objects.filter(name="moderators").first()
    if group is None:
        pytest.skip("the database was flushed by a transactional test")
    assert group.permissions.count() == 8  # 6 of operations 0001, files 0002: view, delete


def test_create_user_moderator_is_staff_in_the_group(moderator_account):
    assert moderator_account.is_staff and not moderator_account.is_superuser
    assert list(moderator_account.groups.values_list("name", flat=True)) == ["moderators"]
    assert moderator_account.has_perm("posts.change_report")
    assert not moderator_account.has_perm("oauth2_provider.view_application")


def test_staff_alone_holds_no_permission(db):
    call_command(
        "create_user", "clerk", "--email", "c@example.com", "--password", "pw-clerk-secret",
        "--staff",
    )  # fmt: skip
    clerk = User.objects.get(username="clerk")
    assert clerk.is_staff and not clerk.groups.exists()
    client = Client()
    client.force_login(clerk)
    assert client.get("/admin/users/user/").status_code == 403


def test_a_moderator_opens_the_queue_but_not_the_apps(moderator_account, make_user, oauth_app):
    client = Client()
    client.force_login(moderator_account)
    for page in ("/admin/", "/admin/posts/report/", "/admin/users/user/", "/admin/posts/post/"):
        assert client.get(page).status_code == 200, page
    assert client.get("/admin/dashboard/").status_code == 200
    app_page = f"/admin/oauth2_provider/application/{oauth_app.pk}/change/"
    assert client.get(app_page).status_code == 403
    assert client.get("/admin/oauth2_provider/accesstoken/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_a_moderator_cannot_hand_out_admin_rights(moderator_account, make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    alice = make_user("alice")
    client = Client()
    client.force_login(moderator_account)
    page = client.get(f"/admin/users/user/{alice.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    client.post(
        f"/admin/users/user/{alice.pk}/change/",
        {"username": "alice", "email": "alice@example.com", "is_superuser": "on"},
    )
    alice.refresh_from_db()
    assert not alice.is_superuser
    assert client.get(f"/admin/users/user/{alice.pk}/password/").status_code == 403
    # A superuser's page is read only to them, and a superuser is not theirs to suspend.
    root_page = client.get(f"/admin/users/user/{root.pk}/change/").content.decode()
    assert 'name="username"' not in root_page
    client.post(
        "/admin/users/user/",
        {"action": "suspend_users", "_selected_action": [root.pk, alice.pk]},
    )
    root.refresh_from_db()
    alice.refresh_from_db()
    assert root.is_active and not alice.is_active


def test_a_moderator_resolves_a_report(moderator_account, make_user):
    author = make_user("author")
    post = create_post(author, text="buy now")
    report = Report.objects.create(post=post, reporter=make_user("carol"), reason="spam")
    client = Client()
    client.force_login(moderator_account)
    response = client.post(
        "/admin/posts/report/",
        {"action": "dismiss", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "Dismissed 1 open report(s)." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
