"""Where a file's bytes are kept, and the signed URLs that read them.

All bytes go through Django's storage API (``storages["files"]``: the local disk or an
S3-compatible store, chosen by configuration), so nothing here knows which. The URLs clients get
point at this app (``files/views.py:ContentView``), signed: a private file's stops working when
it expires, a public file's (``url_permanent``) while the file stays public. Serving through the
app keeps one set of security headers (nosniff, attachment for anything not a plain image)
whichever store holds the bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

SALT = "files.content"
# Where bytes still arriving are written, in the store itself (the local disk): see DiskSpool.
SPOOL_DIR = "files/incoming"


def storage() -> Storage:
    return storages["files"]


def save(key: str, data: bytes) -> None:
    content = ContentFile(data)
    # One chunk (not Django's 64 KiB ones): the local disk gets one write of the bytes as they
    # are, not ~150 copies of pieces of them.
    content.DEFAULT_CHUNK_SIZE = max(len(data), 1)
    _save(key, content)


def _save(key: str, content: File) -> None:
    store = storage()
    saved = store.save(key, content)
    if saved != key:  # the local disk renames rather than overwrite: keys must stay as given
        store.delete(saved)
        raise RuntimeError(f"storage kept {key} under another name")


def spool() -> DiskSpool | MemorySpool:
    """Where an upload's bytes go as they arrive, until ``commit`` stores them under their key:
    a file beside the store's own on the local disk, else (S3) memory."""
    store = storage()
    if isinstance(store, FileSystemStorage):  # it renames a file that has a path into place
        return DiskSpool(store.path(f"{SPOOL_DIR}/{uuid.uuid4().hex}"))
    return MemorySpool()


class SpooledFile(File):
    """A spooled file as Django's local storage takes it: by its path, which ``save`` renames
    into place (``file_move_safe``, never over an existing file) instead of copying it."""

    def __init__(self, path: str):
        super().__init__(None, os.path.basename(path))
        self.path = path
        self.size = os.path.getsize(path)

    def temporary_file_path(self) -> str:
        return self.path

    def close(self) -> None:
        pass


class DiskSpool:
    """An upload written once: to a new file in the store's directory (``files/incoming/``, the
    same filesystem as the keys) as it arrives, then renamed to its key. An upload refused or
    failed removes it; one whose process died is removed by ``sweep_spools``."""

    def __init__(self, path: str):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path: str | None = path
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        self.fd: int | None = os.open(path, flags, 0o666)

    def write(self, data) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def commit(self, key: str) -> None:
        self._close()
        _save(key, SpooledFile(self.path))
        self.path = None

    def discard(self) -> None:
        self._close()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            self.path = None

    def _close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


# Spool buffers kept from one upload to the next: filling memory that was just handed back to
# the system costs more than the copy into it (on this kind of virtual machine, every page of a
# fresh 10 MB faults in anew: ~30-100 ms), while a buffer written before costs the copy alone.
_BUFFERS: list[bytearray] = []
_BUFFERS_KEPT = 1  # one upload at a time per sync worker; more at once make their own
_BUFFERS_LOCK = threading.Lock()


class MemorySpool:
    """An upload kept in memory as it arrives (for a store over the network, written in one
    request once the upload is complete and within quota), in a buffer reused across uploads."""

    def __init__(self):
        with _BUFFERS_LOCK:
            self.buffer = _BUFFERS.pop() if _BUFFERS else bytearray(settings.FILE_MAX_BYTES)
        self.size = 0

    def write(self, data) -> None:
        end = self.size + len(data)
        if end > len(self.buffer):  # the file limit was raised since the buffer was made
            self.buffer.extend(bytes(end - len(self.buffer)))
        self.buffer[self.size : end] = data
        self.size = end

    def commit(self, key: str) -> None:
        _save(key, File(BufferReader(memoryview(self.buffer)[: self.size]), key))
        self.discard()

    def discard(self) -> None:
        buffer, self.buffer = self.buffer, None
        if buffer is not None:
            with _BUFFERS_LOCK:
                if len(_BUFFERS) < _BUFFERS_KEPT:
                    _BUFFERS.append(buffer)


class BufferReader(io.RawIOBase):
    """A file reading a memoryview, for the store to send (it reads pieces and seeks back to
    hash them first): no copy of the whole."""

    def __init__(self, view: memoryview):
        self.view = view
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        piece = self.view[self.position : self.position + len(target)]
        target[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size is None or size < 0 else self.position + size
        piece = bytes(self.view[self.position : end])
        self.position += len(piece)
        return piece

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.view)}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def tell(self) -> int:
        return self.position


def sweep_spools(older_than: timedelta) -> int:
    """Remove what uploads whose process died left in the spool (the local disk's)."""
    store = storage()
    try:
        _, names = store.listdir(SPOOL_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        key = f"{SPOOL_DIR}/{name}"
        try:
            if store.get_modified_time(key) < cutoff:
                store.delete(key)
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def read(key: str) -> bytes:
    with storage().open(key, "rb") as handle:
        return handle.read()


def delete(*keys: str) -> None:
    store = storage()
    for key in keys:
        if key:
            store.delete(key)


def exists(key: str) -> bool:
    return storage().exists(key)


@dataclass(frozen=True)
class Link:
    url: str
    expires_at: float | None  # epoch seconds; None: permanent (a public file's)


def link(file_id: int, derived_key: str = "", *, permanent: bool = False) -> Link:
    expires = None if permanent else int(time.time()) + settings.FILE_URL_SECONDS
    token = signing.dumps([file_id, derived_key, expires or 0], salt=SALT, compress=True)
    return Link(f"{settings.PUBLIC_URL}/files/content/{token}", expires)


@dataclass(frozen=True)
class Signed:
    file_id: int
    derived_key: str
    permanent: bool


def unsign(token: str) -> Signed | None:
    """What a content URL's token names, or None when it is forged or has expired."""
    try:
        file_id, derived_key, expires = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if expires and expires < time.time():
        return None
    return Signed(int(file_id), str(derived_key), not expires)
