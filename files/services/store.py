"""Where a file's bytes are kept, and the signed URLs that read them.

All bytes go through Django's storage API (``storages["files"]``: the local disk or an
S3-compatible store, chosen by configuration), so nothing here knows which. The URLs clients get
point at this app (``files/views.py:ContentView``), signed: a private file's stops working when
it expires, a public file's (``url_permanent``) while the file stays public. Serving through the
app keeps one set of security headers (nosniff, attachment for anything not a plain image)
whichever store holds the bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

SALT = "files.content"


def storage() -> Storage:
    return storages["files"]


def save(key: str, data: bytes) -> None:
    store = storage()
    content = ContentFile(data)
    # One chunk (not Django's 64 KiB ones): the local disk gets one write of the bytes as they
    # are, not ~150 copies of pieces of them.
    content.DEFAULT_CHUNK_SIZE = max(len(data), 1)
    saved = store.save(key, content)
    if saved != key:  # the local disk renames rather than overwrite: keys must stay as given
        store.delete(saved)
        raise RuntimeError(f"storage kept {key} under another name")


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
