"""gunicorn in production: ``gunicorn --config deploy/gunicorn.conf.py`` (compose.yaml's web).

Read from the environment, with defaults for one machine: ``PORT`` (8000) or ``BIND``,
``WEB_CONCURRENCY`` (worker processes), ``WEB_THREADS``, ``WEB_TIMEOUT`` and
``FORWARDED_ALLOW_IPS`` (the proxy in front, whose X-Forwarded-* headers are believed).
"""

import gc
import io
import multiprocessing
import os
from urllib.parse import urlsplit

from gunicorn import util
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.message import Request
from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

wsgi_app = "adn_api.wsgi:application"
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Sync workers: each request holds one database connection for its length and nothing more.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# What gunicorn reads of a request before the application sees it, bounded: a request line
# (method, path and query) of at most 4094 bytes, at most 100 header fields of at most 8190 bytes
# each (gunicorn's defaults, written out because the error pages below quote them).
#
# A request over these limits is refused by gunicorn itself, and is answered, under an API
# prefix, in that dialect's JSON (``ApiErrorPages``, below), not in gunicorn's HTML. The limits
# are not raised so that Django sees such requests and answers them: gunicorn caps
# limit_request_line at 8190 and 0 switches it off, and then its parser buffers a request line
# of any length, copying it again on every read, so a long line could not reach the application
# without accepting lines of unbounded length. Keeping gunicorn's bounds and only rewording its
# refusals bounds every request the same way, whichever worker class WEB_THREADS picks.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The application logs each request itself (operations/middleware.py: request id, user, status,
# duration; JSON with LOG_FORMAT=json), so gunicorn's access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class RequestHeadRecorder:
    """The unreader a request is parsed from, keeping its first bytes (method and path)."""

    size = 256

    def __init__(self, unreader):
        self.unreader = unreader
        self.head = b""

    def read(self, *args, **kwargs):
        data = self.unreader.read(*args, **kwargs)
        if len(self.head) < self.size:
            self.head += data[: self.size - len(self.head)]
        return data

    def __getattr__(self, name):
        return getattr(self.unreader, name)


class ReadIntoBody(Body):
    """A body of declared length that can also be read with ``readinto``: straight from the
    socket into the caller's buffer, after whatever gunicorn holds of it already. The files
    endpoint's parser (``adn_api/uploads.py``) reads a 10 MB upload so, in one copy, where
    ``read`` passes each piece through gunicorn's and Django's buffers several times."""

    def readinto(self, target) -> int:
        view = memoryview(target).cast("B")
        held = self.buf.getvalue()  # read ahead by an earlier readline()
        if held:
            taken = min(len(held), len(view))
            view[:taken] = held[:taken]
            self.buf = io.BytesIO()
            self.buf.write(held[taken:])
            return taken
        reader = self.reader
        size = min(len(view), reader.length)
        if size <= 0:
            return 0
        try:
            buffered = reader.unreader.take_buffered()  # read with the request's head
            if buffered:
                taken = min(len(buffered), size)
                view[:taken] = buffered[:taken]
                if taken < len(buffered):
                    reader.unreader.unread(buffered[taken:])
            else:
                taken = reader.unreader.sock.recv_into(view[:size])
        except Exception:
            self.failed = True
            raise
        reader.length -= taken
        return taken


class HeadKeepingRequest(Request):
    """gunicorn's request, whose refusals (an exception while parsing the request line and the
    headers) carry the start of the request as ``request_head``: the path, to find its dialect.
    A body of declared length is a ``ReadIntoBody``."""

    def parse(self, unreader):
        recorder = RequestHeadRecorder(unreader)
        try:
            return super().parse(recorder)
        except Exception as exc:
            exc.request_head = recorder.head
            raise

    def set_body_reader(self) -> None:
        super().set_body_reader()
        reader = self.body.reader
        if isinstance(reader, LengthReader) and hasattr(reader.unreader, "sock"):
            self.body = ReadIntoBody(reader)


def refused_path(req, exc) -> str:
    """The path of a request gunicorn refused, as far as it was read ("" if not so far)."""
    if req is not None:
        return req.path or ""
    parts = getattr(exc, "request_head", b"").lstrip(b"\r\n").split(b" ", 2)
    if len(parts) < 2:
        return ""
    target = parts[1].decode("latin-1")
    return urlsplit(target).path if "://" in target else target


class ErrorPageCapture:
    """Stands in for the client's socket while gunicorn writes its error page, so the page's
    status (gunicorn's decision, with its logging) is kept and only its body reworded."""

    def __init__(self, client):
        self.client = client
        self.written = bytearray()

    def gettimeout(self) -> float:
        return 0.0  # util.write_nonblock then writes straight through sendall

    def sendall(self, data: bytes) -> None:
        self.written += data

    def __getattr__(self, name):
        return getattr(self.client, name)

    def status(self) -> tuple[int, str]:
        line = bytes(self.written).split(b"\r\n", 1)[0].decode("latin-1")
        _, code, reason = line.split(" ", 2)
        return int(code), reason


class ApiErrorPages:
    """A worker whose refusals of requests under an API prefix (request line or headers too
    long, too many headers, a malformed request) are the dialect's JSON error, with gunicorn's
    status (414, 431, 400, …); elsewhere (the admin) gunicorn's own page."""

    def init_process(self) -> None:
        RequestParser.mesg_class = HeadKeepingRequest  # in this worker process only
        super().init_process()

    def refusal_message(self, status: int, reason: str, exc: BaseException) -> str:
        cfg = self.cfg
        if status == 414:
            return f"The request line is too long: the limit is {cfg.limit_request_line} bytes."
        if status == 431:
            return (
                f"The request headers are too large: the limit is {cfg.limit_request_fields}"
                f" fields of {cfg.limit_request_field_size} bytes each."
            )
        if status >= 500:
            return f"{reason}."
        said = str(exc)  # gunicorn's words, which may quote a whole malformed line: cut short
        return f"{reason}: {said[:200]}{'…' if len(said) > 200 else ''}"

    def handle_error(self, req, client, addr, exc) -> None:
        # The application is loaded by the time a worker answers (the master reads this file
        # before Django is set up, so the dialects cannot be imported at its top).
        from adn_api.middleware import http_server_error

        page = ErrorPageCapture(client)
        super().handle_error(req, page, addr, exc)
        answer = bytes(page.written)
        try:
            status, reason = page.status()
            path = refused_path(req, exc)
            body = http_server_error(path, status, self.refusal_message(status, reason, exc))
        except Exception:  # never worse than gunicorn's own page
            self.log.exception("Error wording the error page")
            body = None
        if body is not None:
            head = (
                f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                f"Content-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            answer = head.encode("latin-1") + body
        try:
            util.write_nonblock(client, answer)
        except Exception:
            self.log.debug("Failed to send error message.")


class ApiSyncWorker(ApiErrorPages, SyncWorker):
    pass


class ApiThreadWorker(ApiErrorPages, ThreadWorker):
    pass


# gunicorn runs threads > 1 on its threaded worker; a worker class given here must say so itself.
worker_class = ApiThreadWorker if threads > 1 else ApiSyncWorker


def post_worker_init(worker) -> None:
    """The application is loaded by now and lives as long as the worker: freezing it keeps the
    garbage collector's full passes from walking Django's hundreds of thousands of objects again
    (they ran often on allocation-heavy pages such as a stream of 200 posts)."""
    gc.freeze()
