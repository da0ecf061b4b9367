"""Accounts and credentials: passwords stored hashed with a slow hasher in production, tokens
revocable by their holder and by an admin, the admin open to staff only."""

from __future__ import annotations

import pytest
from django.conf import Settings
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import Client, override_settings
from oauth2_provider.models import get_access_token_model

from users.models import User

from .support import assert_dialect_error

AccessToken = get_access_token_model()
PRODUCTION = Settings("adn_api.settings")
SLOW_HASHERS = {"pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt"}


def test_production_settings_hash_passwords_with_a_slow_hasher():
    # tests/settings.py swaps in MD5 for speed; the deployed server must not.
    first = PRODUCTION.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    assert first in {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "BCryptSHA256PasswordHasher",
        "ScryptPasswordHasher",
    }
    assert not any("MD5" in hasher for hasher in PRODUCTION.PASSWORD_HASHERS)


@override_settings(PASSWORD_HASHERS=PRODUCTION.PASSWORD_HASHERS)
def test_the_create_user_command_stores_a_slow_hash_not_the_password(db):
    call_command("create_user", "alice", email="a@example.com", password="a long password")
    stored = User.objects.get(username="alice").password
    assert "a long password" not in stored
    assert identify_hasher(stored).algorithm in SLOW_HASHERS
    assert User.objects.get(username="alice").check_password("a long password")


@override_settings(PASSWORD_HASHERS=PRODUCTION.PASSWORD_HASHERS)
def test_signing_up_stores_a_slow_hash_not_the_password(db):
    password = "Correct horse battery staple 9"
    response = Client().post(
        "/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302, response.content
    stored = User.objects.get(username="newcomer").password
    assert password not in stored
    assert identify_hasher(stored).algorithm in SLOW_HASHERS


@pytest.mark.parametrize(
    ("prefix", "dialect"), [("/stream/0", "ADNRenderer"), ("/v1", "PnutRenderer")]
)
def test_a_revoked_token_is_refused_afterwards(api, make_user, token_for, prefix, dialect):
    token = token_for(make_user("alice"))
    assert api.get(f"{prefix}/token", token).status_code == 200
    assert api.delete(f"{prefix}/token", token).status_code == 200
    assert_dialect_error(api.get(f"{prefix}/token", token), dialect, 401)
    assert_dialect_error(api.post(f"{prefix}/posts", token, {"text": "hi"}), dialect, 401)


def test_an_admin_revokes_every_token_of_an_app(api, make_user, token_for, oauth_app):
    token = token_for(make_user("alice"))
    moderator = Client()
    moderator.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = moderator.post(
        "/admin/oauth2_provider/application/",
        {"action": "revoke_all_tokens", "_selected_action": [oauth_app.pk]},
    )
    assert response.status_code == 302, response.content
    assert not AccessToken.objects.filter(application=oauth_app).exists()
    assert_dialect_error(api.get("/stream/0/token", token), "ADNRenderer", 401)


ADMIN_PAGES = ["/admin/", "/admin/dashboard/", "/admin/users/user/", "/admin/posts/post/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_admin_sends_anonymous_visitors_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_admin_is_closed_to_users_who_are_not_staff(make_user, path):
    client = Client()
    client.force_login(make_user("alice"))
    response = client.get(path)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]


def test_a_non_staff_user_cannot_run_admin_actions(make_user, token_for, oauth_app):
    token_for(make_user("alice"))
    client = Client()
    client.force_login(make_user("mallory"))
    client.post(
        "/admin/oauth2_provider/application/",
        {"action": "revoke_all_tokens", "_selected_action": [oauth_app.pk]},
    )
    assert AccessToken.objects.filter(application=oauth_app).exists()


def test_staff_see_the_admin_and_dashboard(make_user):
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/dashboard/").status_code == 200
