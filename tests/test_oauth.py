"""App.net's OAuth flows end to end: a browser through login and consent, apps at the token
endpoint, and the resulting tokens on the API."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from adn_api.oauth.tokens import create_app
from users.models import User

REDIRECT_URI = "https://client.example.com/callback"
TOKEN_URL = "/oauth/access_token"


@pytest.fixture
def web_app(db):
    """An app with its credentials in clear, as its developer holds them."""
    app, secret = create_app(
        "Web Client",
        link="https://client.example.com",
        redirect_uris=REDIRECT_URI,
        password_flow=True,
    )
    return app, secret


def csrf_of(response) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


class Browser:
    """A browser with cookies that enforces CSRF like a real deployment."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def get(self, url: str, **params):
        return self.client.get(url, params)

    def submit(self, page, url: str, data: dict):
        """POST the form on ``page`` (a response) to ``url`` with its CSRF token."""
        return self.client.post(url, {**data, "csrfmiddlewaretoken": csrf_of(page)})

    def log_in(self, username: str, password: str, next_url: str):
        page = self.get("/login/", next=next_url)
        return self.submit(
            page, "/login/", {"username": username, "password": password, "next": next_url}
        )


def authorize_url(app, endpoint: str = "authenticate", **overrides) -> str:
    params = {
        "client_id": app.client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": "stream follow",
        "state": "xyz",
        **overrides,
    }
    return f"/oauth/{endpoint}?{urlencode(params)}"


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def logged_in_browser(user: User) -> Browser:
    browser = Browser()
    browser.client.force_login(user)
    return browser


def consent(browser: Browser, app, endpoint: str = "authenticate", allow: bool = True, **params):
    url = authorize_url(app, endpoint, **params)
    page = browser.get(url)
    assert page.status_code == 200, page.content
    fields = dict(re.findall(rb'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content))
    data = {k.decode(): v.decode() for k, v in fields.items() if k != b"csrfmiddlewaretoken"}
    if allow:
        data["allow"] = "Authorize"
    return browser.submit(page, url, data)


def exchange(api, app, secret: str, code: str, **overrides):
    data = {
        "client_id": app.client_id,
        "client_secret": secret,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT_URI,
        "code": code,
        **overrides,
    }
    return api.client.post(TOKEN_URL, {k: v for k, v in data.items() if v is not None})


def code_for(user: User, app, **params) -> str:
    response = consent(logged_in_browser(user), app, **params)
    assert response.status_code == 302
    return query_of(response["Location"])["code"]


# --- web flow --------------------------------------------------------------------------------


def test_web_flow_logs_in_asks_consent_and_issues_a_working_token(api, web_app, alice, make_user):
    app, secret = web_app
    browser = Browser()
    url = authorize_url(app)

    first = browser.get(url)
    assert first.status_code == 302
    assert first["Location"].startswith("/login/?next=")

    logged_in = browser.log_in("alice", "pw-alice-secret", url)
    assert logged_in.status_code == 302
    assert logged_in["Location"] == url

    page = browser.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Web Client" in text
    assert "Read your stream" in text
    assert "Follow, mute and block users" in text

    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', text))
    fields.pop("csrfmiddlewaretoken", None)
    allowed = browser.submit(page, url, {**fields, "allow": "Authorize"})
    assert allowed.status_code == 302
    assert allowed["Location"].startswith(REDIRECT_URI + "?")
    params = query_of(allowed["Location"])
    assert params["state"] == "xyz"

    response = exchange(api, app, secret, params["code"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"access_token", "token"}
    assert body["token"]["app"] == {
        "client_id": app.client_id,
        "name": "Web Client",
        "link": "https://client.example.com",
    }
    assert body["token"]["user"]["username"] == "alice"
    assert set(body["token"]["scopes"]) == {"basic", "stream", "follow"}

    token = body["access_token"]
    info = api.get("/stream/0/token", token).json()["data"]
    assert info["user"]["id"] == str(alice.pk)
    assert info["client_id"] == app.client_id
    assert set(info["scopes"]) == {"basic", "stream", "follow"}

    bob = make_user("bob")
    assert api.post(f"/stream/0/users/{bob.pk}/follow", token).status_code == 200


def test_authenticate_skips_consent_for_scopes_already_granted(api, web_app, alice):
    app, secret = web_app
    assert exchange(api, app, secret, code_for(alice, app)).status_code == 200
    browser = logged_in_browser(alice)

    again = browser.get(authorize_url(app))
    assert again.status_code == 302
    assert again["Location"].startswith(REDIRECT_URI + "?")
    assert query_of(again["Location"])["state"] == "xyz"

    forced = browser.get(authorize_url(app, "authorize"))
    assert forced.status_code == 200
    assert b"Authorize Web Client?" in forced.content

    more_scopes = browser.get(authorize_url(app, scope="stream follow write_post"))
    assert more_scopes.status_code == 200


def test_authenticate_ignores_an_approval_prompt_parameter(api, web_app, alice):
    app, secret = web_app
    assert exchange(api, app, secret, code_for(alice, app)).status_code == 200
    forced = logged_in_browser(alice).get(authorize_url(app, "authorize", approval_prompt="auto"))
    assert forced.status_code == 200


def test_reused_code_is_refused_with_code_used_slug(api, web_app, alice):
    app, secret = web_app
    code = code_for(alice, app)
    assert exchange(api, app, secret, code).status_code == 200

    again = exchange(api, app, secret, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert again.json()["error_slug"] == "code-used"
    assert AccessToken.objects.filter(user=alice).count() == 1


def test_unknown_code_is_invalid_grant_without_code_used_slug(api, web_app):
    app, secret = web_app
    response = exchange(api, app, secret, "no-such-code")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "error_slug" not in response.json()


def test_code_exchange_without_redirect_uri_is_refused_with_slug(api, web_app, alice):
    app, secret = web_app
    response = exchange(api, app, secret, code_for(alice, app), redirect_uri=None)
    assert response.status_code == 400
    assert response.json()["error_slug"] == "redirect-uri-required"


def test_refresh_token_from_the_code_exchange_gives_a_new_working_token(api, web_app, alice):
    app, secret = web_app
    first = exchange(api, app, secret, code_for(alice, app)).json()
    response = api.client.post(
        TOKEN_URL,
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app.client_id,
            "client_secret": secret,
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    assert response.json()["token"]["user"]["username"] == "alice"
    assert api.get("/stream/0/token", token).status_code == 200


def test_code_exchange_accepts_client_credentials_in_basic_auth(api, web_app, alice):
    app, secret = web_app
    basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    data = {
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT_URI,
        "code": code_for(alice, app),
    }
    response = api.client.post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200
    assert response.json()["token"]["user"]["username"] == "alice"


def test_code_exchange_with_wrong_client_secret_is_refused(api, web_app, alice):
    app, _secret = web_app
    response = exchange(api, app, "not-the-secret", code_for(alice, app))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.filter(user=alice).exists()


def test_denying_consent_redirects_with_access_denied(web_app, alice):
    app, _secret = web_app
    response = consent(logged_in_browser(alice), app, allow=False)
    assert response.status_code == 302
    params = query_of(response["Location"])
    assert params["error"] == "access_denied"
    assert params["state"] == "xyz"
    assert not AccessToken.objects.filter(user=alice).exists()


def test_client_side_flow_returns_the_token_in_the_fragment(api, web_app, alice):
    app, _secret = web_app
    response = consent(logged_in_browser(alice), app, response_type="token")
    assert response.status_code == 302
    fragment = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).fragment).items()}
    assert fragment["state"] == "xyz"
    info = api.get("/stream/0/token", fragment["access_token"]).json()["data"]
    assert info["user"]["username"] == "alice"


def test_unknown_client_gets_an_error_page_not_a_redirect(alice):
    browser = logged_in_browser(alice)
    response = browser.get(
        "/oauth/authenticate?"
        + urlencode(
            {
                "client_id": "nope",
                "response_type": "code",
                "redirect_uri": "https://evil.example.com/",
            }
        )
    )
    assert response.status_code == 400
    assert b"can't sign you in" in response.content


def test_unregistered_redirect_uri_is_never_followed(web_app, alice):
    app, _secret = web_app
    response = logged_in_browser(alice).get(
        authorize_url(app, redirect_uri="https://evil.example.com/")
    )
    assert response.status_code == 400
    assert "Location" not in response


def test_login_page_accepts_an_email_address(web_app, alice):
    alice.email = "alice.with.a.long.address@example.com"
    alice.save(update_fields=["email"])
    app, _secret = web_app
    url = authorize_url(app)
    response = Browser().log_in("Alice.With.A.Long.Address@example.com", "pw-alice-secret", url)
    assert response.status_code == 302
    assert response["Location"] == url


def test_login_with_wrong_password_shows_the_form_again(alice):
    response = Browser().log_in("alice", "wrong", "/")
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content


@pytest.mark.parametrize("login", ["al\x00ice", "x" * 300])
def test_login_page_answers_junk_with_the_form(alice, login):
    response = Browser().log_in(login, "pw-alice-secret", "/")
    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_logout_asks_then_signs_out(alice):
    browser = logged_in_browser(alice)
    page = browser.get("/logout/")
    assert page.status_code == 200
    assert browser.submit(page, "/logout/", {}).status_code == 200
    assert "_auth_user_id" not in browser.client.session


# --- password flow ---------------------------------------------------------------------------


def password_grant(api, app, **overrides):
    data = {
        "client_id": app.client_id,
        "password_grant_secret": app.profile.password_grant_secret,
        "grant_type": "password",
        "username": "alice",
        "password": "pw-alice-secret",
        "scope": "stream write_post",
        **overrides,
    }
    return api.client.post(TOKEN_URL, {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("login", ["alice", "ALICE", "alice@example.com"])
def test_password_flow_issues_a_token_with_the_asked_scopes(api, web_app, alice, login):
    app, _secret = web_app
    response = password_grant(api, app, username=login)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token"]["user"]["username"] == "alice"
    assert set(body["token"]["scopes"]) == {"basic", "stream", "write_post"}
    info = api.get("/stream/0/token", body["access_token"]).json()["data"]
    assert info["user"]["id"] == str(alice.pk)


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"password_grant_secret": "wrong"}, id="wrong-grant-secret"),
        pytest.param({"password_grant_secret": None}, id="no-grant-secret"),
        pytest.param({"password": "wrong"}, id="wrong-password"),
        pytest.param({"username": "nobody"}, id="unknown-user"),
        pytest.param({"scope": "stream fly"}, id="unknown-scope"),
        pytest.param({"password": None}, id="no-password"),
    ],
)
def test_password_flow_failures_explain_themselves_and_create_no_token(
    api, web_app, alice, overrides
):
    app, _secret = web_app
    response = password_grant(api, app, **overrides)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert body["error"]
    assert body["error_text"]
    assert "access_token" not in body
    assert not AccessToken.objects.exists()


def test_password_flow_refuses_the_client_secret_in_place_of_the_grant_secret(api, web_app, alice):
    app, secret = web_app
    response = password_grant(api, app, password_grant_secret=None, client_secret=secret)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_text"]
    assert not AccessToken.objects.exists()


def test_password_flow_is_closed_to_apps_without_a_grant_secret(api, alice):
    app, secret = create_app("No password flow", redirect_uris=REDIRECT_URI)
    response = password_grant(api, app, password_grant_secret="", client_secret=secret)
    assert response.status_code == 401
    assert response.json()["error_text"]
    assert not AccessToken.objects.exists()


def test_password_flow_refuses_deactivated_accounts(api, web_app, alice):
    app, _secret = web_app
    User.objects.filter(pk=alice.pk).update(is_active=False)
    response = password_grant(api, app)
    assert response.status_code == 400
    assert response.json()["error_text"]


# --- app tokens ------------------------------------------------------------------------------


def test_client_credentials_give_an_app_token_that_can_be_revoked(api, web_app):
    app, secret = web_app
    response = api.client.post(
        TOKEN_URL,
        {"client_id": app.client_id, "client_secret": secret, "grant_type": "client_credentials"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "user" not in body["token"]
    assert body["token"]["scopes"] == []
    token = body["access_token"]

    info = api.get("/stream/0/token", token)
    assert info.status_code == 200
    assert "user" not in info.json()["data"]
    assert info.json()["data"]["client_id"] == app.client_id

    assert api.put("/stream/0/users/me", token, {"name": "x"}).status_code == 403

    assert api.delete("/stream/0/token", token).status_code == 200
    gone = api.get("/stream/0/token", token)
    assert gone.status_code == 401
    assert gone.json()["meta"]["error_slug"] == "invalid-token"


def test_client_credentials_need_the_client_secret(api, web_app):
    app, _secret = web_app
    response = api.client.post(
        TOKEN_URL,
        {"client_id": app.client_id, "client_secret": "wrong", "grant_type": "client_credentials"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


# --- tokens on the API -----------------------------------------------------------------------


def test_token_without_follow_scope_cannot_follow(api, token_for, alice, make_user):
    bob = make_user("bob")
    token = token_for(alice, ["basic", "stream"])
    response = api.post(f"/stream/0/users/{bob.pk}/follow", token)
    assert response.status_code == 403


def test_following_without_a_token_is_401_invalid_token(api, alice):
    response = api.post(f"/stream/0/users/{alice.pk}/follow")
    assert response.status_code == 401
    assert response.json()["meta"]["error_slug"] == "invalid-token"


def test_token_in_the_query_string_works(api, token_for, alice):
    token = token_for(alice, ["basic"])
    response = api.client.get(f"/stream/0/token?access_token={token}")
    assert response.status_code == 200
    assert response.json()["data"]["user"]["username"] == "alice"


FORM = "application/x-www-form-urlencoded"


def test_a_user_token_carries_a_working_invite_link(api, token_for, alice):
    """App.net's token object has ``invite_link``: the signup page naming the inviter; an
    account made through it follows them (and they are told, as of any follow)."""
    link = api.get("/stream/0/token", token_for(alice, ["basic"])).json()["data"]["invite_link"]
    parts = urlsplit(link)
    assert parts.path == "/signup/" and parse_qs(parts.query) == {"from": ["alice"]}
    client = Client()
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200 and b"@alice invited you" in page.content
    form = {
        "username": "dana",
        "email": "dana@example.com",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
        "from": "alice",
    }
    assert client.post("/signup/", form).status_code == 302
    dana = User.objects.get(username="dana")
    assert dana.following_rows.filter(followee=alice).exists()
    told = api.get("/stream/0/users/me/interactions", token_for(alice, ["basic"])).json()
    assert [(i["action"], i["users"][0]["username"]) for i in told["data"]] == [("follow", "dana")]
    # An app token has no user, so no invite link; an unknown inviter is no error.
    assert "invite_link" not in api.get("/stream/0/token", token_for(None)).json()["data"]
    assert Client().get("/signup/?from=nobody_here").status_code == 200


def test_token_in_a_form_encoded_post_body_works(api, token_for, alice):
    """App.net's docs: ``curl -d text=… -d access_token=…`` posts as the token's user."""
    token = token_for(alice, ["basic", "write_post"])
    body = urlencode({"text": "Test post", "access_token": token})
    response = api.client.post("/stream/0/posts", body, content_type=FORM)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["username"] == "alice"
    assert response.json()["data"]["text"] == "Test post"
    # PATCH takes it too; pnut speaks over the same authentication.
    body = urlencode({"name": "Alice A.", "access_token": token_for(alice, ["update_profile"])})
    response = api.client.patch("/stream/0/users/me", body, content_type=FORM)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["name"] == "Alice A."
    body = urlencode({"text": "pnut too", "access_token": token})
    response = api.client.post("/v1/posts", body, content_type=FORM)
    assert response.status_code == 201, response.content


def test_a_body_token_is_refused_where_the_docs_do_not_allow_it(api, token_for, alice):
    token = token_for(alice, ["basic", "write_post"])
    post = api.post("/stream/0/posts", token, data={"text": "stays"}).json()["data"]
    # DELETE takes no body: no token, so 401 and the post is still there.
    body = urlencode({"access_token": token})
    response = api.client.delete(f"/stream/0/posts/{post['id']}", body, content_type=FORM)
    assert response.status_code == 401
    assert response.json()["meta"]["error_slug"] == "invalid-token"
    assert api.get(f"/stream/0/posts/{post['id']}", token).json()["data"]["text"] == "stays"
    # A JSON body's access_token is not the form the docs name; a wrong one is a 401.
    json_body = api.client.post(
        "/stream/0/posts", {"text": "x", "access_token": token}, content_type="application/json"
    )
    assert json_body.status_code == 401
    wrong = urlencode({"text": "x", "access_token": "not-a-token"})
    response = api.client.post("/stream/0/posts", wrong, content_type=FORM)
    assert response.status_code == 401
    assert response.json()["meta"]["code"] == 401


# --- the token endpoint never breaks ---------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty"),
        pytest.param({"grant_type": "magic"}, id="unknown-grant-type"),
        pytest.param({"grant_type": "urn:ietf:params:oauth:grant-type:device_code"}, id="device"),
        pytest.param({"grant_type": "authorization_code"}, id="code-missing-everything"),
        pytest.param(
            {"grant_type": "authorization_code", "redirect_uri": REDIRECT_URI, "code": "x"},
            id="code-without-client",
        ),
        pytest.param(
            {"grant_type": "client_credentials", "client_id": "nope", "client_secret": "x"},
            id="unknown-client",
        ),
        pytest.param(
            {"grant_type": "password", "client_id": "nope", "password_grant_secret": "x"},
            id="password-unknown-client",
        ),
        pytest.param({"grant_type": "password", "username": "a\x00b"}, id="nul-byte"),
        pytest.param({"grant_type": "refresh_token", "refresh_token": "x"}, id="refresh-junk"),
    ],
)
def test_token_endpoint_answers_bad_input_with_an_oauth_json_error(api, web_app, data):
    response = api.client.post(TOKEN_URL, data)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]


def test_token_endpoint_answers_a_json_body_with_an_oauth_error(api):
    response = api.client.post(
        TOKEN_URL, {"grant_type": "password"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_token_endpoint_refuses_get_with_json(api):
    response = api.client.get(TOKEN_URL)
    assert response.status_code == 405
    assert response.json()["error"] == "invalid_request"


# --- signup ----------------------------------------------------------------------------------


def signup(browser: Browser, next_url: str = "/oauth/authenticate?client_id=x", **fields):
    page = browser.get("/signup/", next=next_url)
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "next": next_url,
        **fields,
    }
    return browser.submit(page, "/signup/", data)


def test_signup_creates_the_account_signs_in_and_continues(db):
    browser = Browser()
    response = signup(browser)
    assert response.status_code == 302
    assert response["Location"] == "/oauth/authenticate?client_id=x"
    carol = User.objects.get(username="carol")
    assert carol.email == "carol@example.com"
    assert browser.client.session["_auth_user_id"] == str(carol.pk)


def test_signup_refuses_a_username_taken_in_another_case(alice):
    response = signup(Browser(), username="ALICE")
    assert response.status_code == 200
    assert b"already exists" in response.content
    assert User.objects.filter(username__iexact="alice").count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"username": "has space"}, id="bad-username"),
        pytest.param({"username": "a" * 21}, id="long-username"),
        pytest.param({"email": "ALICE@example.com"}, id="email-taken"),
        pytest.param({"password1": "password", "password2": "password"}, id="common-password"),
        pytest.param({"password2": "something else entirely"}, id="passwords-differ"),
    ],
)
def test_signup_shows_form_errors_for_bad_input(alice, fields):
    response = signup(Browser(), **fields)
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_signup_does_not_redirect_off_site(db):
    response = signup(Browser(), next_url="https://evil.example.com/")
    assert response.status_code == 302
    assert response["Location"] == "/"
