"""Where the web flows may send a user back: only to a redirect URI the app registered, matched
exactly (scheme, host, port, path, query).

RFC 8252 §7.3 lets a native app's loopback redirect (``http://127.0.0.1:PORT/...``) use any port,
because the app listens on an ephemeral one. That allowance is for native apps on the
authorization-code flow with PKCE only: anywhere else a listener on another local port would be
handed the user's code or token.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from oauth2_provider.models import AccessToken, Application, Grant

from adn_api.oauth.tokens import create_app
from tests.test_oauth import (
    authorize_url,
    consent,
    csrf_of,
    exchange,
    logged_in_browser,
    query_of,
)

REGISTERED = "http://127.0.0.1:8309/cb"
OTHER_PORT = "http://127.0.0.1:8310/cb"
VERIFIER = "a-native-app-s-code-verifier-of-at-least-43-characters"
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
)
PKCE = {"code_challenge": CHALLENGE, "code_challenge_method": "S256"}


@pytest.fixture
def loopback_app(db):
    """A (non-native) app registered with a loopback redirect URI."""
    return create_app("Local Tool", redirect_uris=REGISTERED)


@pytest.fixture
def native_app(db):
    return create_app("Desktop Client", redirect_uris=REGISTERED, native=True)


def fragment_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).fragment).items()}


def assert_not_sent_anywhere(response, user) -> None:
    """An error page (or an OAuth error), never a redirect carrying a code or a token."""
    location = response.get("Location", "")
    assert "access_token" not in location
    assert "code=" not in location
    assert not location.startswith("http://127.0.0.1")
    assert b"access_token" not in response.content
    assert not AccessToken.objects.filter(user=user).exists()
    assert not Grant.objects.filter(user=user).exists()


def previously_authorized(user, app) -> None:
    """The user already approved the app once: /oauth/authenticate then skips the consent page
    and redirects at once, so a wrong redirect URI would need no click from the victim."""
    response = consent(logged_in_browser(user), app, response_type="token", redirect_uri=REGISTERED)
    assert response.status_code == 302
    assert fragment_of(response["Location"])["access_token"]


def ask(user, app, endpoint: str = "authenticate", **params):
    return logged_in_browser(user).get(authorize_url(app, endpoint, **params))


def tampered_consent(user, app, **replaced):
    """Show the consent page for the registered URI, then submit it with fields replaced (the
    hidden fields are the browser's to change)."""
    browser = logged_in_browser(user)
    url = authorize_url(app, "authorize", redirect_uri=REGISTERED)
    page = browser.get(url)
    assert page.status_code == 200
    fields = dict(re.findall(rb'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content))
    data = {k.decode(): v.decode() for k, v in fields.items() if k != b"csrfmiddlewaretoken"}
    data.update(replaced, allow="Authorize", csrfmiddlewaretoken=csrf_of(page))
    return browser.client.post(url, data)


# --- implicit flow ---------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["authenticate", "authorize"])
def test_implicit_flow_to_another_loopback_port_is_refused(loopback_app, alice, endpoint):
    app, _secret = loopback_app
    response = ask(alice, app, endpoint, response_type="token", redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_implicit_flow_to_another_port_is_refused_even_when_consent_is_skipped(loopback_app, alice):
    app, _secret = loopback_app
    previously_authorized(alice, app)
    before = set(AccessToken.objects.values_list("pk", flat=True))

    response = ask(alice, app, response_type="token", redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert "access_token" not in response.get("Location", "")
    assert set(AccessToken.objects.values_list("pk", flat=True)) == before


def test_implicit_flow_refuses_a_consent_form_resubmitted_to_another_port(loopback_app, alice):
    app, _secret = loopback_app
    response = tampered_consent(alice, app, response_type="token", redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_implicit_flow_refuses_another_port_for_a_native_app_too(native_app, alice):
    app, _secret = native_app
    response = ask(alice, app, response_type="token", redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_implicit_flow_to_the_registered_loopback_uri_works(api, loopback_app, alice):
    app, _secret = loopback_app
    response = consent(
        logged_in_browser(alice), app, response_type="token", redirect_uri=REGISTERED
    )
    assert response.status_code == 302
    assert response["Location"].startswith(REGISTERED + "#")
    token = fragment_of(response["Location"])["access_token"]
    assert api.get("/stream/0/token", token).json()["data"]["user"]["username"] == "alice"


# --- code flow -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["authenticate", "authorize"])
def test_code_flow_without_pkce_to_another_loopback_port_is_refused(loopback_app, alice, endpoint):
    app, _secret = loopback_app
    response = ask(alice, app, endpoint, redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_code_flow_refuses_a_consent_form_resubmitted_to_another_port(loopback_app, alice):
    app, _secret = loopback_app
    response = tampered_consent(alice, app, redirect_uri=OTHER_PORT)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_code_flow_with_pkce_keeps_the_port_fixed_for_an_app_not_registered_as_native(
    loopback_app, alice
):
    app, _secret = loopback_app
    response = ask(alice, app, redirect_uri=OTHER_PORT, **PKCE)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_code_flow_to_the_registered_loopback_uri_works(api, loopback_app, alice):
    app, secret = loopback_app
    response = consent(logged_in_browser(alice), app, redirect_uri=REGISTERED)
    assert response.status_code == 302
    assert response["Location"].startswith(REGISTERED + "?")
    code = query_of(response["Location"])["code"]
    token = exchange(api, app, secret, code, redirect_uri=REGISTERED)
    assert token.status_code == 200, token.content
    assert token.json()["token"]["user"]["username"] == "alice"


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param("http://127.0.0.1/cb", id="no-port"),
        pytest.param("http://127.0.0.1:8309/other", id="other-path"),
        pytest.param("http://127.0.0.2:8309/cb", id="other-loopback-address"),
        pytest.param("http://localhost:8309/cb", id="localhost"),
        pytest.param("https://127.0.0.1:8309/cb", id="https"),
        pytest.param("http://127.0.0.1:8309/cb?x=1", id="added-query"),
    ],
)
def test_code_flow_refuses_anything_but_the_registered_uri(loopback_app, alice, uri):
    app, _secret = loopback_app
    response = ask(alice, app, redirect_uri=uri)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


# --- native apps: code flow with PKCE may pick its loopback port ------------------------------


def test_native_app_with_pkce_may_use_another_loopback_port(api, native_app, alice):
    app, secret = native_app
    response = consent(logged_in_browser(alice), app, redirect_uri=OTHER_PORT, **PKCE)
    assert response.status_code == 302
    assert response["Location"].startswith(OTHER_PORT + "?")
    code = query_of(response["Location"])["code"]

    token = exchange(api, app, secret, code, redirect_uri=OTHER_PORT, code_verifier=VERIFIER)
    assert token.status_code == 200, token.content
    assert token.json()["token"]["user"]["username"] == "alice"


def test_native_app_with_pkce_may_use_another_ipv6_loopback_port(native_app, alice):
    app, _secret = create_app("IPv6 Client", redirect_uris="http://[::1]:8309/cb", native=True)
    response = consent(logged_in_browser(alice), app, redirect_uri="http://[::1]:55000/cb", **PKCE)
    assert response.status_code == 302
    assert response["Location"].startswith("http://[::1]:55000/cb?code=")


def test_native_app_code_must_be_exchanged_with_its_verifier_and_the_same_uri(
    api, native_app, alice
):
    app, secret = native_app
    code = query_of(
        consent(logged_in_browser(alice), app, redirect_uri=OTHER_PORT, **PKCE)["Location"]
    )["code"]

    wrong_uri = exchange(api, app, secret, code, redirect_uri=REGISTERED, code_verifier=VERIFIER)
    assert wrong_uri.status_code == 400
    no_verifier = exchange(api, app, secret, code, redirect_uri=OTHER_PORT)
    assert no_verifier.status_code == 400
    assert not AccessToken.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="no-pkce"),
        pytest.param({"code_challenge": VERIFIER, "code_challenge_method": "plain"}, id="plain"),
        pytest.param({"code_challenge": VERIFIER}, id="method-defaults-to-plain"),
        pytest.param({**PKCE, "redirect_uri": "http://127.0.0.1:8310/other"}, id="other-path"),
        pytest.param({**PKCE, "redirect_uri": "http://localhost:8310/cb"}, id="other-host"),
        pytest.param({**PKCE, "redirect_uri": "http://127.0.0.1:99999/cb"}, id="bad-port"),
        pytest.param({**PKCE, "redirect_uri": "http://127.0.0.1:x/cb"}, id="junk-port"),
    ],
)
def test_native_app_port_allowance_needs_s256_pkce_and_the_rest_of_the_uri(
    native_app, alice, params
):
    app, _secret = native_app
    response = ask(alice, app, **{"redirect_uri": OTHER_PORT, **params})
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_native_app_refuses_a_consent_form_resubmitted_without_pkce(native_app, alice):
    app, _secret = native_app
    response = tampered_consent(
        alice, app, redirect_uri=OTHER_PORT, code_challenge="", code_challenge_method=""
    )
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


def test_native_app_keeps_non_loopback_ports_exact(alice, db):
    app, _secret = create_app(
        "Desktop", redirect_uris="https://native.example.com:8443/cb", native=True
    )
    response = ask(alice, app, redirect_uri="https://native.example.com:8444/cb", **PKCE)
    assert response.status_code == 400
    assert_not_sent_anywhere(response, alice)


# --- registering a native app ----------------------------------------------------------------


def test_create_app_native_registers_a_native_app(db):
    out = io.StringIO()
    call_command("create_app", "CLI", "--redirect-uri", REGISTERED, "--native", stdout=out)
    client_id = re.search(r"^client_id: (\S+)", out.getvalue(), flags=re.MULTILINE)[1]
    assert Application.objects.get(client_id=client_id).profile.native


def test_create_app_registers_a_web_app_by_default(db):
    out = io.StringIO()
    call_command("create_app", "Web", "--redirect-uri", REGISTERED, stdout=out)
    assert not Application.objects.get(name="Web").profile.native
