"""Django upload handlers for the files endpoints, reading a body in large pieces.

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

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

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
