"""A request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is the client's error: an enveloped 413
in the path's dialect (App.net and pnut ``meta``, diaspora ``{"code", "message"}``), never a 500,
whatever its content type (JSON, form-encoded, multipart with fields or with a file part). So
are Django's other refusals of a request (too many form fields, a Host it does not serve): the
dialect's 400, not a 500 or Django's HTML page. (Through gunicorn: test_http_server_errors.py.)"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory

from adn_api.exceptions import envelope_exception_handler
from adn_api.middleware import ApiErrorMiddleware
from posts.models import Post
from tests.post_support import quick_post

from ..dialect_errors import assert_adn_error, assert_diaspora_error, assert_pnut_error

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
SIZES = (LIMIT + 1, 20 * 1024 * 1024)
BOUNDARY = "adnfaultboundary"


def json_body(size: int) -> tuple[bytes, str]:
    filler = "x" * (size - len('{"text": ""}'))
    return json.dumps({"text": filler}).encode(), "application/json"


def form_body(size: int) -> tuple[bytes, str]:
    return ("text=" + "x" * (size - len("text="))).encode(), "application/x-www-form-urlencoded"


def multipart_body(size: int, filename: str | None = None) -> tuple[bytes, str]:
    disposition = 'form-data; name="text"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    body = head + b"x" * (size - len(head) - len(tail)) + tail
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def multipart_file_body(size: int) -> tuple[bytes, str]:
    """Django does not count file parts against the limit; the API takes no files."""
    return multipart_body(size, filename="big.txt")


BODIES = {
    "json": json_body,
    "form": form_body,
    "multipart": multipart_body,
    "multipart-file": multipart_file_body,
}


def send(path: str, token: str, body: bytes, content_type: str):
    return Client().generic(
        "POST", path, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture
def token(alice, token_for) -> str:
    return token_for(alice)


@pytest.mark.parametrize("size", SIZES, ids=["limit+1", "20MB"])
@pytest.mark.parametrize("kind", BODIES)
@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/stream/0/posts", assert_adn_error),
        ("/stream/0/text/process", assert_adn_error),
        ("/v1/posts", assert_pnut_error),
        ("/v1/text/process", assert_pnut_error),
    ],
)
def test_too_big_a_body_is_an_enveloped_413(path, check, kind, size, token):
    body, content_type = BODIES[kind](size)
    assert len(body) == size
    response = send(path, token, body, content_type)
    meta = check(response, 413)
    assert "too large" in meta["error_message"].lower(), meta
    assert not Post.objects.exists()


@pytest.mark.parametrize("size", SIZES, ids=["limit+1", "20MB"])
@pytest.mark.parametrize("kind", BODIES)
def test_too_big_a_diaspora_comment_is_diasporas_413(kind, size, alice, token):
    post = quick_post(alice, "a post")
    body, content_type = BODIES[kind](size)
    response = send(f"/api/v1/posts/{post.guid}/comments", token, body, content_type)
    assert_diaspora_error(response, 413)
    assert Post.objects.count() == 1


@pytest.mark.parametrize("kind", BODIES)
def test_a_body_at_the_limit_is_read_as_usual(kind, token):
    """The limit is the one Django applies, not a tighter one: a body of exactly the limit goes
    on to the view (which refuses so long a text for its own reason, a 400)."""
    body, content_type = BODIES[kind](LIMIT)
    response = send("/stream/0/text/process", token, body, content_type)
    assert response.status_code != 413, response.content[:300]
    assert response.status_code < 500, response.content[:300]


def test_too_many_form_fields_is_a_400(token):
    body = "&".join(f"field{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    for path, check in [
        ("/stream/0/text/process", assert_adn_error),
        ("/v1/posts", assert_pnut_error),
    ]:
        response = send(path, token, body.encode(), "application/x-www-form-urlencoded")
        assert "too many fields" in check(response, 400)["error_message"]


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/stream/0/posts/stream/global", assert_adn_error),
        ("/v1/posts/streams/global", assert_pnut_error),
        ("/api/v1/posts/" + "ab" * 16, assert_diaspora_error),
    ],
)
def test_a_host_not_served_is_the_dialects_400(db, path, check):
    check(Client().get(path, HTTP_HOST="elsewhere.example"), 400)


def test_django_finding_a_body_too_big_is_a_413_wherever_it_is_raised(db):
    """Where the length was not declared up front, Django's parsers raise; a DRF view and the
    middleware (outside DRF) both make it the 413."""
    response = envelope_exception_handler(RequestDataTooBig("too big"), {})
    assert response.status_code == 413 and response.data.code == 413
    request = RequestFactory().post("/api/v1/posts/" + "ab" * 16 + "/comments")
    middleware = ApiErrorMiddleware(lambda request: None)
    response = middleware.process_exception(request, RequestDataTooBig("big"))
    assert response.status_code == 413
    body = json.loads(response.content)
    assert set(body) == {"code", "message"} and body["code"] == 413, body
    assert "too large" in body["message"], body
