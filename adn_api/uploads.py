"""Reading uploads: the files endpoint's streaming multipart parser (``StreamingMultiPartParser``,
below), and Django upload handlers for the other endpoints that take files, reading a body in
large pieces.

Django's own handlers read the request in 64 KiB chunks and copy each into a BytesIO. For a
10 MB upload under gunicorn that is ~150 reads, each of which makes gunicorn copy what it has
buffered beyond the chunk again, and then a second copy of the whole file out of the BytesIO.
These keep the pieces as the parser hands them over and join them once; a larger chunk means
fewer, larger reads all the way down. The size limits are unchanged: bodies over the limit are
refused before anything reads them (``adn_api.middleware``), and ``files.services.files``
still refuses a file past ``FILE_MAX_BYTES``.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles

# The parser reads at the smallest chunk size of all the handlers: both say the same.
CHUNK = 2 * 1024 * 1024


class WholeMemoryUploadHandler(MemoryFileUploadHandler):
    """In memory (a body up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``): the received pieces, joined
    once at the end into the bytes the file reads (``BytesIO`` shares them, no copy)."""

    chunk_size = CHUNK

    def new_file(self, *args, **kwargs) -> None:
        self.pieces: list[bytes] = []
        super().new_file(*args, **kwargs)  # raises StopFutureHandlers when it takes the file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.activated:
            return raw_data
        self.pieces.append(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.activated:
            return None
        data = b"".join(self.pieces)
        self.pieces = []
        return InMemoryUploadedFile(
            file=io.BytesIO(data),
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class LargeChunkTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's fallback to a temporary file (a body of unknown or larger length), reading in
    the same large chunks."""

    chunk_size = CHUNK


class MultipartError(ParseError):
    default_detail = "Malformed multipart body."


# Receive buffers kept from one upload to the next (see files/services/store.py: fresh memory
# costs more to fill than memory written before).
_BUFFERS: list[bytearray] = []


class StreamingMultiPartParser(BaseParser):
    """``multipart/form-data`` whose file part the view takes as it arrives: the body is read
    into one buffer, reused from request to request (with ``readinto`` when the server's input
    has it), the boundaries found with ``bytes.find``, and each piece of the file part handed to
    the view's sink (``view.receive_upload(field, filename)``) as a view of that buffer. A 10 MB
    file is thus copied once on its way from the socket to its sink, where Django's parser,
    reading through gunicorn's buffers, copied it eight times and held it whole.

    The other parts (small form fields) are the form's data, within Django's limits
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``); a part with a
    ``Content-Transfer-Encoding`` other than the identity ones is refused with a 400.
    """

    media_type = "multipart/form-data"

    def parse(self, stream, media_type=None, parser_context=None) -> DataAndFiles:
        context = parser_context or {}
        request = context["request"]
        view = context.get("view")
        _, params = parse_header_parameters(media_type or "")
        boundary = params.get("boundary", "")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not boundary or not boundary.isascii() or length <= 0:
            raise MultipartError("A multipart body needs a boundary and a Content-Length.")
        receive = getattr(view, "receive_upload", None) or (lambda field, filename: None)
        buffer = _BUFFERS.pop() if _BUFFERS else bytearray(CHUNK)
        try:
            return parse_multipart(
                body_reader(request._request), length, boundary.encode(), receive, buffer
            )
        finally:
            _BUFFERS.append(buffer)


def body_reader(request):
    """A function filling a memoryview with the body's next bytes (how many; 0 at its end):
    straight from the server's input when it can, else through Django's ``read``."""
    raw = request.META.get("wsgi.input")
    readinto = getattr(raw, "readinto", None)
    if readinto is not None and not request._read_started:
        request._read_started = True  # what Django's read() would say: the body is taken
        return readinto

    def fill(view: memoryview) -> int:
        data = request.read(len(view))
        view[: len(data)] = data
        return len(data)

    return fill


class _Buffer:
    """The unread part of the body: ``buffer[start:end]``, refilled from ``fill``."""

    def __init__(self, fill, length: int, buffer: bytearray):
        self.fill = fill
        self.left = length
        self.buffer = buffer
        self.view = memoryview(buffer)
        self.start = self.end = 0

    def more(self) -> bool:
        """Read more of the body after what is held (moved to the front first); False when the
        body has ended or the buffer is full."""
        if self.start:
            held = bytes(self.view[self.start : self.end])
            self.buffer[: len(held)] = held
            self.start, self.end = 0, len(held)
        room = min(len(self.buffer) - self.end, self.left)
        if room <= 0:
            return False
        got = self.fill(self.view[self.end : self.end + room])
        self.end += got
        self.left -= got
        return got > 0

    def find(self, what: bytes) -> int:
        """Where ``what`` starts in the held bytes, reading more as needed (-1: not there)."""
        while True:
            at = self.buffer.find(what, self.start, self.end)
            if at >= 0:
                return at
            if not self.more():
                return -1

    def need(self, size: int) -> bool:
        while self.end - self.start < size:
            if not self.more():
                return False
        return True


def parse_multipart(fill, length: int, boundary: bytes, receive, buffer: bytearray) -> DataAndFiles:
    """The form fields and the streamed files of a multipart body of ``length`` bytes read by
    ``fill``: a part with a file name goes to ``receive(field, filename)``'s sink when it gives
    one (its ``write`` gets views of ``buffer``, to use before returning; its ``close`` the
    part's end), and is skipped otherwise."""
    body = _Buffer(fill, length, buffer)
    delimiter = b"\r\n--" + boundary
    if len(delimiter) + 4 > len(buffer) // 2:
        raise MultipartError("The multipart boundary is too long.")
    data, files = QueryDict(mutable=True), MultiValueDict()
    try:
        _read_parts(body, delimiter, receive, data, files)
    except BaseException:  # the files taken before the body turned out bad are dropped too
        for sink in (sink for _, sinks in files.lists() for sink in sinks):
            discard = getattr(sink, "discard", None)
            if discard is not None:
                discard()
        raise
    return DataAndFiles(data, files)


def _read_parts(body: _Buffer, delimiter: bytes, receive, data: QueryDict, files) -> None:
    # The first boundary may have no line break before it (nor any preamble).
    body.need(len(delimiter) - 2)
    if body.buffer.startswith(delimiter[2:], body.start, body.end):
        body.start += len(delimiter) - 2
    else:
        at = body.find(delimiter)
        if at < 0:
            raise MultipartError("The multipart body has no boundary.")
        body.start = at + len(delimiter)
    fields = 0
    field_room = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    while True:
        if not body.need(2):
            raise MultipartError("The multipart body ended before its closing boundary.")
        ending = bytes(body.view[body.start : body.start + 2])
        if ending == b"--":
            return  # the closing boundary: what follows it is ignored
        if ending != b"\r\n":
            raise MultipartError()
        body.start += 2
        end_of_head = body.find(b"\r\n\r\n")
        if end_of_head < 0:
            raise MultipartError("A part's headers are malformed or too long.")
        headers = _part_headers(bytes(body.view[body.start : end_of_head]))
        body.start = end_of_head + 4
        disposition, params = parse_header_parameters(headers.get("content-disposition", ""))
        name = params.get("name")
        if disposition != "form-data" or name is None:
            raise MultipartError("Each part needs a Content-Disposition: form-data; name=….")
        encoding = headers.get("content-transfer-encoding", "").strip().lower()
        if encoding not in ("", "binary", "8bit", "7bit"):
            raise MultipartError(f"Content-Transfer-Encoding {encoding} is not supported.")
        filename = params.get("filename")
        if filename is not None:
            sink = receive(name, filename) if filename else None
            _copy_part(body, delimiter, sink)
            if sink is not None:
                files.appendlist(name, sink)
            continue
        fields += 1
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if limit is not None and fields > limit:
            raise TooManyFieldsSent("The number of form fields is over the limit.")
        value = _Collect(field_room)
        _copy_part(body, delimiter, value)
        if field_room is not None:
            field_room -= len(value.into)
        _, type_params = parse_header_parameters(headers.get("content-type", ""))
        charset = type_params.get("charset") or settings.DEFAULT_CHARSET
        try:
            data.appendlist(name, bytes(value.into).decode(charset, "replace"))
        except LookupError:
            raise MultipartError(f"Unknown charset {charset}.") from None


class _Collect:
    """A form field's value, within what is left of the fields' size limit."""

    def __init__(self, room: int | None):
        self.into = bytearray()
        self.room = room

    def write(self, data) -> None:
        self.into += data
        if self.room is not None and len(self.into) > self.room:
            raise RequestDataTooBig("The form's fields are over the limit of their size.")

    def close(self) -> None:
        pass


def _part_headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon:
            raise MultipartError("A part's header line has no colon.")
        headers[name.strip().lower()] = value.strip()
    return headers


def _copy_part(body: _Buffer, delimiter: bytes, sink) -> None:
    """Hand the part's bytes to ``sink`` (None: skip them) up to the next boundary, which the
    body is left just after. A sink that raises (or a body that ends early) is discarded."""
    keep = len(delimiter) - 1  # what may be the start of a boundary split across two reads
    try:
        while True:
            at = body.buffer.find(delimiter, body.start, body.end)
            if at >= 0:
                if sink is not None:
                    sink.write(body.view[body.start : at])
                    sink.close()
                body.start = at + len(delimiter)
                return
            safe = body.end - keep
            if safe > body.start:
                if sink is not None:
                    sink.write(body.view[body.start : safe])
                body.start = safe
            if not body.more():
                raise MultipartError("The multipart body ended inside a part.")
    except BaseException:
        discard = getattr(sink, "discard", None)
        if discard is not None:
            discard()
        raise
