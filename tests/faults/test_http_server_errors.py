"""What gunicorn itself answers, as deployed (``deploy/gunicorn.conf.py``): a request it refuses
before Django sees it (a request line or a header too long, too many headers, a malformed
header) is still the path's dialect's JSON error under the API prefixes, never gunicorn's HTML
page; and a body over the upload limit is an enveloped 413 through the real server too, read by a
client that stops sending when the answer comes (as curl does)."""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings

from adn_api.oauth.tokens import create_app, issue_token
from posts.models import Post
from users.models import User

from .. import processes
from ..dialect_errors import assert_adn_error, assert_diaspora_error, assert_pnut_error
from ..operations.deployment import answers, get, running, venv_path_env
from ..processes import free_port

pytestmark = pytest.mark.slow

WEB = ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
PREFIXES = {
    "/stream/0/": assert_adn_error,
    "/v1/": assert_pnut_error,
    "/api/v1/": assert_diaspora_error,
}


@dataclass
class Answer:
    """An HTTP answer read off the wire, with what tests/dialect_errors.py asks of a response."""

    status_code: int
    headers: dict[str, str]
    content: bytes

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def json(self):
        return json.loads(self.content)


def parse_answer(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return Answer(int(status_line.split()[1]), headers, body)


def dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size, _, rest = body.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if length == 0:
            break
        out += rest[:length]
        body = rest[length + 2 :]
    return bytes(out)


@dataclass
class Server:
    base: str
    port: int
    threads: int

    def get(self, target: str, headers: dict[str, str] | None = None) -> Answer:
        status, answer_headers, body = get(f"{self.base}{target}", headers)
        return Answer(status, {k.lower(): v for k, v in answer_headers.items()}, body)

    def exchange(self, request: bytes, body: bytes = b"", timeout: float = 30) -> Answer:
        """Send ``request`` (the head), then ``body`` while reading: the answer may come before
        the body is all sent, and then the rest is not sent."""
        received = bytearray()
        sent = 0
        deadline = time.monotonic() + timeout
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(request)
            sock.setblocking(False)
            while time.monotonic() < deadline:
                sending = [sock] if sent < len(body) else []
                readable, writable, _ = select.select([sock], sending, [], 1)
                if readable:
                    try:
                        data = sock.recv(65536)
                    except ConnectionResetError:
                        break
                    if not data:
                        break
                    received += data
                    if complete(received):
                        break
                elif writable:
                    try:
                        sent += sock.send(body[sent : sent + 65536])
                    except (BrokenPipeError, ConnectionResetError):
                        sent = len(body)
        assert received, f"no answer ({sent} of {len(body)} body bytes sent)"
        return parse_answer(bytes(received))


def complete(raw: bytes) -> bool:
    head, found, body = raw.partition(b"\r\n\r\n")
    if not found:
        return False
    if b"transfer-encoding: chunked" in head.lower():
        return body.endswith(b"0\r\n\r\n")
    answer = parse_answer(raw)
    return len(answer.content) >= int(answer.headers.get("content-length", 1 << 62))


@pytest.fixture(scope="module", params=[1, 2], ids=["sync", "gthread"])
def server(request, django_db_setup, django_db_blocker) -> Iterator[Server]:
    """gunicorn with the production config, on the test database: sync workers as deployed,
    and threaded ones (``WEB_THREADS`` > 1)."""
    port = free_port()
    env = processes.service_env(
        PORT=str(port), WEB_CONCURRENCY="1", WEB_THREADS=str(request.param), LOG_LEVEL="WARNING"
    )
    base = f"http://127.0.0.1:{port}"
    with running("web", WEB, venv_path_env(env)) as web:
        web.wait_until(answers(f"{base}/healthz"), "gunicorn to answer", timeout=60)
        yield Server(base, port, request.param)


def assert_json_error(answer: Answer, prefix: str, status: int) -> None:
    assert not answer.content.lstrip().startswith(b"<"), answer
    assert answer.status_code < 500, answer
    PREFIXES[prefix](answer, status)


def test_the_server_still_serves(server):
    answer = server.get("/stream/0/posts/stream/global")
    assert answer.status_code == 200, answer
    assert answer.json()["meta"]["code"] == 200


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_request_line_too_long_is_the_dialects_414(server, prefix):
    answer = server.get(f"/{prefix.strip('/')}/posts/stream/global?filler={'a' * 10240}")
    assert_json_error(answer, prefix, 414)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_header_too_long_is_the_dialects_431(server, prefix):
    answer = server.get(f"{prefix}posts/stream/global", {"X-Filler": "a" * 20480})
    assert_json_error(answer, prefix, 431)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_other_requests_gunicorn_refuses_are_the_dialects_errors(server, prefix):
    target = f"{prefix}posts/stream/global"
    many = "".join(f"X-Filler-{n}: a\r\n" for n in range(150))
    for head, status in [
        (f"GET {target} HTTP/1.1\r\nHost: x\r\n{many}\r\n", 431),
        (f"GET {target} HTTP/1.1\r\nHost: x\r\nBad Name: a\r\n\r\n", 400),
        (f"GET http://x{target}?filler={'a' * 10240} HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ]:
        assert_json_error(server.exchange(head.encode()), prefix, status)


def test_each_request_on_a_kept_alive_connection_is_answered_in_its_own_dialect(server):
    """Threaded workers keep connections alive: the second request, pipelined behind an App.net
    one, is refused in diaspora's shape (sync workers close after the first)."""
    first = "GET /stream/0/posts/stream/global HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    second = f"GET /api/v1/posts/{'ab' * 16}?filler={'a' * 10240} HTTP/1.1\r\nHost: x\r\n\r\n"
    received = bytearray()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall((first + second).encode())
        while data := sock.recv(65536):
            received += data
    starts = [i for i in range(len(received)) if received.startswith(b"HTTP/1.1 ", i)]
    assert len(starts) == (2 if server.threads > 1 else 1), received
    ends = [*starts[1:], None]
    answers = [parse_answer(bytes(received[a:b])) for a, b in zip(starts, ends, strict=True)]
    assert answers[0].status_code == 200, answers[0]
    for answer in answers[1:]:
        assert_json_error(answer, "/api/v1/", 414)


def test_off_the_api_gunicorn_answers_as_before(server):
    answer = server.get(f"/admin/?filler={'a' * 10240}")
    assert answer.status_code == 414, answer


# Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE, through the real server.

BIG = 20 * 1024 * 1024


def post_head(target: str, token: str, content_type: str, length: int) -> bytes:
    return (
        f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_a_body_too_big_is_the_dialects_413_through_gunicorn(server):
    alice = User.objects.create_user("alice", password="pw-alice-long")
    app, _ = create_app("faults")
    token = issue_token(alice, app, "basic stream write_post")
    post = Post.objects.create(user=alice, text="a post")
    boundary = "adnfault"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        + b"x" * BIG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    bodies = {
        "application/json": b'{"text": "' + b"x" * BIG + b'"}',
        "application/x-www-form-urlencoded": b"text=" + b"x" * BIG,
        f"multipart/form-data; boundary={boundary}": multipart,
    }
    for target, prefix in [
        ("/stream/0/posts", "/stream/0/"),
        ("/stream/0/text/process", "/stream/0/"),
        ("/v1/text/process", "/v1/"),
        (f"/api/v1/posts/{post.guid}/comments", "/api/v1/"),
    ]:
        for content_type, body in bodies.items():
            head = post_head(target, token, content_type, len(body))
            answer = server.exchange(head, body)
            assert_json_error(answer, prefix, 413)
    # Just over the limit, too.
    body = b"text=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    head = post_head("/v1/posts", token, "application/x-www-form-urlencoded", len(body))
    assert_json_error(server.exchange(head, body), "/v1/", 413)
    assert list(Post.objects.values_list("text", flat=True)) == ["a post"]
