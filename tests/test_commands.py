"""Admin tooling: the management commands that script the server, and the Django admin."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from users.models import Follow, User


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def credentials(output: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+): (\S+)", output, flags=re.MULTILINE))


@pytest.fixture
def app_credentials(db) -> dict[str, str]:
    output = run(
        "create_app",
        "Script App",
        "--redirect-uri",
        "https://script.example.com/cb",
        "--link",
        "https://script.example.com",
        "--password-flow",
    )
    return credentials(output)


def test_created_user_app_and_token_work_on_the_api(api, app_credentials):
    run("create_user", "Dana", "--email", "dana@example.com", "--password", "a long passphrase")
    token = run(
        "issue_token", "dana", "--app", app_credentials["client_id"], "--scopes", "stream follow"
    ).strip()

    info = api.get("/stream/0/token", token)
    assert info.status_code == 200
    data = info.json()["data"]
    assert data["user"]["username"] == "Dana"
    assert data["app"]["name"] == "Script App"
    assert data["app"]["link"] == "https://script.example.com"
    assert set(data["scopes"]) == {"basic", "stream", "follow"}


def test_printed_app_secrets_work_at_the_token_endpoint(api, app_credentials):
    run("create_user", "erin", "--email", "erin@example.com", "--password", "a long passphrase")
    app_token = api.client.post(
        "/oauth/access_token",
        {
            "grant_type": "client_credentials",
            "client_id": app_credentials["client_id"],
            "client_secret": app_credentials["client_secret"],
        },
    )
    assert app_token.status_code == 200
    user_token = api.client.post(
        "/oauth/access_token",
        {
            "grant_type": "password",
            "client_id": app_credentials["client_id"],
            "password_grant_secret": app_credentials["password_grant_secret"],
            "username": "erin",
            "password": "a long passphrase",
        },
    )
    assert user_token.status_code == 200
    assert user_token.json()["token"]["user"]["username"] == "erin"


def test_create_app_without_password_flow_prints_no_grant_secret(db):
    output = run("create_app", "Plain", "--redirect-uri", "https://plain.example.com/cb")
    assert "password_grant_secret: (none" in output
    assert Application.objects.get(name="Plain").profile.password_grant_secret == ""


def test_create_app_rejects_a_bad_redirect_uri(db):
    with pytest.raises(CommandError, match="Invalid app"):
        run("create_app", "Bad", "--redirect-uri", "not a uri")
    assert not Application.objects.exists()


def test_create_user_reads_the_password_from_the_environment(monkeypatch, db):
    monkeypatch.setenv("ADN_PASSWORD", "an env passphrase")
    run("create_user", "frank", "--email", "frank@example.com", "--staff")
    frank = User.objects.get(username="frank")
    assert frank.check_password("an env passphrase")
    assert frank.is_staff


@pytest.mark.parametrize(
    "args, message",
    [
        (["ALICE", "--email", "new@example.com", "--password", "a long passphrase"], "taken"),
        (["bad name", "--email", "new@example.com", "--password", "a long passphrase"], "Invalid"),
        (["newbie", "--email", "alice@example.com", "--password", "a long passphrase"], "email"),
        (["newbie", "--email", "not-an-email", "--password", "a long passphrase"], "--email"),
        (["newbie", "--email", "new@example.com", "--password", "password"], "Password rejected"),
    ],
)
def test_create_user_refuses_bad_input_with_a_clear_message(make_user, args, message):
    make_user("alice")
    with pytest.raises(CommandError, match=message):
        run("create_user", *args)
    assert User.objects.count() == 1


def test_issue_token_rejects_an_unknown_scope(make_user, app_credentials):
    make_user("alice")
    with pytest.raises(CommandError, match="Unknown scope.*fly"):
        run("issue_token", "alice", "--app", app_credentials["client_id"], "--scopes", "fly")
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody"], "No user"),
        ([], "USERNAME"),
        (["alice", "--app-token"], "not both"),
    ],
)
def test_issue_token_refuses_unclear_requests(make_user, app_credentials, args, message):
    make_user("alice")
    with pytest.raises(CommandError, match=message):
        run("issue_token", *args, "--app", app_credentials["client_id"])


def test_issue_token_refuses_an_unknown_app(make_user):
    make_user("alice")
    with pytest.raises(CommandError, match="client_id"):
        run("issue_token", "alice", "--app", "nope")


def test_issue_token_app_token_has_no_user(api, app_credentials):
    token = run("issue_token", "--app", app_credentials["client_id"], "--app-token").strip()
    data = api.get("/stream/0/token", token).json()["data"]
    assert "user" not in data
    assert data["client_id"] == app_credentials["client_id"]


def test_admin_lists_users_and_shows_the_app_profile_inline(make_user, app_credentials):
    staff = User.objects.create_superuser("root", "root@example.com", "pw")
    bob = make_user("bob")
    Follow.objects.create(follower=staff, followee=bob)
    app = Application.objects.get(client_id=app_credentials["client_id"])
    browser = Client()
    browser.force_login(staff)

    users = browser.get("/admin/users/user/", {"q": "bob"})
    assert users.status_code == 200
    assert b"bob" in users.content
    assert browser.get("/admin/users/follow/").status_code == 200
    page = browser.get(f"/admin/oauth2_provider/application/{app.pk}/change/")
    assert page.status_code == 200
    assert app.profile.password_grant_secret.encode() in page.content
