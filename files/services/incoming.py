"""An upload taken as it arrives, so that its bytes are handled once: each piece hashed (sha1
for App.net, sha256 for pnut) and written to where it will be kept (``store.spool``: beside the
store's own files on a local disk, renamed into place once the quota has taken it).

What the bytes are is read from their first ones: bytes that do not start as one of the image
formats served inline (``images.may_be_inline_image``) can never be one, and are kept as they
came. Bytes that may be an image are kept whole instead, for ``images.inspect``, which opens
them and writes them again without their metadata.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from core.errors import Reason, Refused

from . import images, store

SNIFFED = 16  # what Pillow's formats are told from (Image.open's prefix)
# Started on first use, in the process that serves (never in a parent that forks).
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-digest")
logger = logging.getLogger(__name__)


def store_unavailable() -> Refused:
    return Refused(
        Reason.UNAVAILABLE, "The file store is unavailable; try again later.", subject="file"
    )


class Incoming:
    """The sink a multipart parser writes the file part to, piece by piece (views of its
    buffer, copied or written before ``write`` returns)."""

    def __init__(self, name: str = ""):
        self.name = name
        self.size = 0
        self.head = b""  # the first bytes, what they are is read from
        self._waiting = bytearray()  # the first pieces, until there are SNIFFED bytes to read
        self._whole: list[bytes] | None = None  # a possible image, kept for images.inspect
        self._spool = None
        self._sha1 = hashlib.sha1()
        self._sha256 = hashlib.sha256()

    def write(self, data) -> None:
        self.size += len(data)
        if self.size > settings.FILE_MAX_BYTES:
            self.discard()
            raise Refused(
                Reason.TOO_LARGE,
                f"The file is over the limit of {settings.FILE_MAX_BYTES} bytes per file.",
                subject="file",
            )
        if self._waiting is not None:
            self._waiting += data
            if len(self._waiting) < SNIFFED:
                return
            data, self._waiting = self._waiting, None
            self._choose(bytes(data[:SNIFFED]))
        self._take(data)

    def close(self) -> None:
        """The part has ended (the multipart parser's word)."""
        if self._waiting is not None:  # fewer bytes than SNIFFED in all
            data, self._waiting = bytes(self._waiting), None
            self._choose(data)
            self._take(data)

    def _choose(self, head: bytes) -> None:
        self.head = head
        if images.may_be_inline_image(head):
            self._whole = []
        else:
            with self._store_failing():
                self._spool = store.spool()

    def _take(self, data) -> None:
        if self._whole is not None:
            self._whole.append(bytes(data))
            return
        # sha256 on another thread beside sha1 and the write (hashlib lets go of the GIL); the
        # piece is a view of the parser's buffer, so all three are done before returning.
        sha256 = _HASHER.submit(self._sha256.update, data)
        self._sha1.update(data)
        try:
            with self._store_failing():
                self._spool.write(data)
        finally:
            sha256.result()

    @contextlib.contextmanager
    def _store_failing(self):
        """The store failing while the bytes arrive (a full disk) is the file store being
        unavailable, as when storing them fails (``files._store``), and keeps nothing."""
        try:
            yield
        except OSError as exc:
            logger.warning("spooling an upload failed", exc_info=True)
            self.discard()
            raise store_unavailable() from exc

    @property
    def whole(self) -> bytes | None:
        """The bytes, when they may be an image (else they were spooled, and are not kept)."""
        return b"".join(self._whole) if self._whole is not None else None

    @property
    def mime_type(self) -> str:
        return images.opaque_mime_type(self.head)

    @property
    def sha1(self) -> str:
        return self._sha1.hexdigest()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    def commit(self, key: str) -> None:
        """Store the spooled bytes under their key (after the quota has taken them)."""
        self._spool.commit(key)
        self._spool = None  # kept until then: a commit that failed is discarded like the rest

    def discard(self) -> None:
        """Forget the bytes (a refused or failed upload); nothing once they are committed."""
        spool, self._spool, self._whole = self._spool, None, None
        if spool is not None:
            spool.discard()
