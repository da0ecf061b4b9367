"""Every ADN response is enveloped, errors included, whatever raised them."""

import json
import logging

import pytest
from django.urls import path

from adn_api.errors import BadRequest
from adn_api.permissions import PUBLIC
from adn_api.views import ApiView


def test_config_is_enveloped_with_the_post_text_limit(api):
    response = api.get("/stream/0/config")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"code": 200}
    assert body["data"]["post"]["text_max_length"] == 256
    assert body["data"]["user"]["text_max_length"] == 256


def test_response_is_minified_by_default(api):
    text = api.get("/stream/0/config").content.decode()
    assert "\n" not in text and ": " not in text


def test_pretty_json_header_indents_with_trailing_newline(api):
    text = api.call("GET", "/stream/0/config", headers={"X-ADN-Pretty-JSON": "1"}).content.decode()
    assert text.endswith("}\n")
    assert '\n    "data": {' in text
    assert json.loads(text)["meta"]["code"] == 200


def test_unknown_route_under_the_api_is_an_enveloped_404(api):
    response = api.get("/stream/0/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    meta = response.json()["meta"]
    assert meta["code"] == 404 and "no/such/thing" in meta["error_message"]
    assert "data" not in response.json()


def test_unknown_object_is_an_enveloped_404(api):
    response = api.get("/stream/0/users/987654321")
    assert response.status_code == 404
    assert response.json()["meta"]["code"] == 404


def test_wrong_method_is_an_enveloped_405_with_allow(api):
    response = api.post("/stream/0/config")
    assert response.status_code == 405
    assert response.json()["meta"]["code"] == 405
    assert "GET" in response["Allow"]


def test_missing_token_is_401_invalid_token(api):
    response = api.put("/stream/0/users/me", data={"name": "x"})
    assert response.status_code == 401
    assert response.json()["meta"]["error_slug"] == "invalid-token"


def test_garbage_token_is_401_even_on_public_endpoints(api):
    response = api.get("/stream/0/config", token="not-a-real-token")
    assert response.status_code == 401
    assert response.json()["meta"]["error_slug"] == "invalid-token"


def test_token_without_scope_is_403(api, make_user, token_for):
    token = token_for(make_user("alice"), ["basic"])
    response = api.put("/stream/0/users/me", token, data={"name": "Alice"})
    assert response.status_code == 403
    assert "update_profile" in response.json()["meta"]["error_message"]


def test_malformed_json_is_an_enveloped_400(api, make_user, token_for):
    token = token_for(make_user("alice"))
    response = api.client.put(
        "/stream/0/users/me",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["meta"]["code"] == 400


def test_throttled_request_is_an_enveloped_429_with_retry_after(
    api, make_user, token_for, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/hour"},
    }
    token = token_for(make_user("alice"))
    statuses = [api.get("/stream/0/config", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/stream/0/config", token)
    assert response.json()["meta"]["code"] == 429
    assert int(response["Retry-After"]) > 0


def test_authenticated_responses_carry_rate_limit_headers(api, make_user, token_for):
    token = token_for(make_user("alice"))
    first = api.get("/stream/0/config", token)
    second = api.get("/stream/0/config", token)
    assert int(first["X-RateLimit-Limit"]) == 5000
    assert int(second["X-RateLimit-Remaining"]) == int(first["X-RateLimit-Remaining"]) - 1
    assert int(first["X-RateLimit-Reset"]) > 0


def test_jsonp_wraps_the_envelope_and_answers_200(api):
    response = api.get("/stream/0/users/987654321", callback="show")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("show(") and text.endswith(")")
    assert json.loads(text[5:-1])["meta"]["code"] == 404


def test_jsonp_is_refused_for_authenticated_requests(api, make_user, token_for):
    token = token_for(make_user("alice"))
    response = api.get("/stream/0/config", token, callback="show")
    body = json.loads(response.content.decode()[5:-1])
    assert body["meta"]["code"] == 400
    assert "data" not in body


def test_jsonp_callback_must_be_a_function_name(api):
    response = api.get("/stream/0/config", callback="alert(1)//")
    assert response.status_code == 400
    assert not response.content.decode().startswith("alert")


def test_cors_is_allowed_on_api_paths(api):
    response = api.call("GET", "/stream/0/config", headers={"Origin": "https://web.example"})
    assert response["Access-Control-Allow-Origin"] == "*"


class ExplodingView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request):
        raise RuntimeError("boom")


class RefusingView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request):
        raise BadRequest("Nope, and here is why.")


urlpatterns = [
    path("stream/0/test/explode", ExplodingView.as_view()),
    path("stream/0/test/refuse", RefusingView.as_view()),
]


@pytest.mark.urls("tests.test_envelope")
def test_unhandled_exception_is_an_enveloped_500_with_logged_error_id(api, caplog):
    api.client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="adn_api.errors"):
        response = api.get("/stream/0/test/explode")
    assert response.status_code == 500
    meta = response.json()["meta"]
    assert meta["code"] == 500 and meta["error_id"]
    assert meta["error_id"] in caplog.text
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.urls("tests.test_envelope")
def test_client_error_message_is_the_sentence_raised(api):
    meta = api.get("/stream/0/test/refuse").json()["meta"]
    assert meta == {
        "code": 400,
        "error_message": "Nope, and here is why.",
        "error_id": meta["error_id"],
    }


def test_an_id_beyond_64_bits_is_out_of_range_not_malformed(api):
    response = api.get("/stream/0/posts/stream/global", since_id="99999999999999999999999")
    assert response.status_code == 400
    assert "out of range" in response.json()["meta"]["error_message"]
