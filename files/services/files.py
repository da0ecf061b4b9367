"""Files: creating (with content, or metadata first), completing, reading, updating, deleting.

Quota: the owner's row is locked while the new file's bytes are reserved against it
(``User.objects.lock``), so two uploads at once cannot both pass it. The row (with its storage
key) commits before the bytes are stored, and is marked complete after: an upload interrupted
between the two leaves an incomplete row, whose bytes ``sweep_incomplete`` removes a day later.
"""

from __future__ import annotations

import hashlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum

from core.annotations import validate_annotations
from core.errors import Reason, Refused, invalid
from core.inputs import parse_id
from users.models import User

from ..models import File
from ..tasks import record_derivation
from . import images, store
from .derive import forget, stored_keys
from .incoming import Incoming, store_unavailable

logger = logging.getLogger(__name__)

# The two digests of a file are computed beside its write to the store (hashlib lets go of the
# GIL on large buffers): a 10 MB upload no longer waits for the write and then ~25 ms of hashing.
# Started on first use, in the process that serves (never in a parent that forks).
_HASHERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="file-digest")


def _hexdigest(name: str, data: bytes) -> str:
    return hashlib.new(name, data).hexdigest()


MAX_NAME = 255
MAX_TYPE = 255


def used_bytes(user: User) -> int:
    return File.objects.filter(user=user).aggregate(total=Sum("total_size"))["total"] or 0


def storage_of(user: User) -> dict:
    """The token object's ``storage``: bytes used and still available."""
    used = used_bytes(user)
    return {"available": max(settings.FILE_QUOTA_BYTES - used, 0), "used": used}


def _text(value, field: str, limit: int, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise invalid(f"{field} is required.")
        return ""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise invalid(f"{field} must be a string of at most {limit} characters.")
    return value


def _flag(value, field: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in {"1", "true", "yes"}:
        return True
    if text in {"0", "false", "no", ""}:
        return False
    raise invalid(f"{field} must be true or false.")


def _check_size(size: int) -> None:
    if size > settings.FILE_MAX_BYTES:
        raise Refused(
            Reason.TOO_LARGE,
            f"The file is {size} bytes; the limit is {settings.FILE_MAX_BYTES} bytes per file.",
            subject="file",
        )


def _check_quota(owner: User, size: int, replacing: int = 0) -> None:
    """With the owner locked: refuse bytes that would take them past their quota."""
    used = used_bytes(owner) - replacing
    if used + size > settings.FILE_QUOTA_BYTES:
        raise Refused(
            Reason.OVER_QUOTA,
            f"Storing {size} more bytes would pass your storage quota "
            f"({used} of {settings.FILE_QUOTA_BYTES} bytes used).",
            subject="file",
        )


def _reserve(owner: User, size: int, **fields) -> File:
    """The new row, its bytes counted against the quota, in a transaction holding the owner."""
    with transaction.atomic():
        User.objects.lock(owner.pk)
        _check_quota(owner, size)
        return File.objects.create(
            user=owner, size=size, total_size=size, storage_key=_key(owner), **fields
        )


def _key(owner: User) -> str:
    return f"files/{owner.pk}/{File._meta.get_field('guid').default()}"


def read_upload(upload) -> bytes:
    """An upload's bytes (a Django UploadedFile or bytes), refused past the per-file limit
    before more than the limit is read."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if getattr(upload, "size", None) is not None:
            _check_size(upload.size)
        upload.seek(0)
        data = upload.read(settings.FILE_MAX_BYTES + 1)
    _check_size(len(data))
    return data


def create_file(
    owner: User,
    *,
    type: str | None,
    content: bytes | Incoming | None = None,
    name: str | None = "",
    kind: str | None = None,
    public=False,
    annotations=None,
    source=None,
    purpose: str = File.Purpose.FILE,
) -> File:
    """A new file: complete when ``content`` is given, else waiting for ``set_content``.

    ``content`` taken as it arrived (``Incoming``) is stored from where it was spooled, or, when
    it may be an image, inspected whole like bytes; the caller discards it (``Incoming.discard``)
    when this refuses it."""
    fields = {
        "type": _text(type, "type", MAX_TYPE, required=True),
        "name": _text(name, "name", MAX_NAME),
        "public": _flag(public, "public"),
        "annotations": _annotations(annotations),
        "source": source,
        "purpose": purpose,
    }
    if kind not in (None, "", File.Kind.IMAGE, File.Kind.OTHER):
        raise invalid("kind must be image or other.")
    if isinstance(content, Incoming) and content.whole is not None:
        content = content.whole
    inspected = images.inspect(content) if isinstance(content, bytes) else content
    size = _size_of(inspected) if inspected is not None else 0
    file = _reserve(owner, size, **fields)
    if inspected is not None:
        _store(file, inspected)
    return file


def _size_of(content: images.Content | Incoming) -> int:
    return content.size if isinstance(content, Incoming) else len(content.data)


def set_content(owner: User, file: File, content: bytes) -> File:
    """Complete a file made metadata first; a complete file's content never changes."""
    if file.user_id != owner.pk:
        raise Refused(Reason.NOT_FOUND, "No such file.", subject="file")
    if file.complete:
        raise invalid("This file is complete: its content cannot be changed.")
    inspected = images.inspect(content)
    size = len(inspected.data)
    with transaction.atomic():
        User.objects.lock(owner.pk)
        _check_quota(owner, size, replacing=file.total_size)
        if not File.objects.filter(pk=file.pk, complete=False).update(size=size, total_size=size):
            raise invalid("This file is complete: its content cannot be changed.")
    _store(file, inspected)
    return file


def _store(file: File, content: images.Content | Incoming) -> None:
    """Write the bytes, then mark the row complete with what they are; a store that fails
    takes the row (and its reservation) with it."""
    if isinstance(content, Incoming):  # hashed as it arrived, stored from its spool
        digests = (content.sha1, content.sha256)
        write = content.commit
        width = height = None
    else:
        digests = (
            _HASHERS.submit(_hexdigest, "sha1", content.data),
            _HASHERS.submit(_hexdigest, "sha256", content.data),
        )
        data = content.data
        width, height = content.width, content.height

        def write(key: str) -> None:
            store.save(key, data)

    try:
        write(file.storage_key)
    except Exception as exc:
        logger.warning("storing file %s failed", file.pk, exc_info=True)
        File.objects.filter(pk=file.pk).delete()
        forget(file.storage_key)
        raise store_unavailable() from exc
    file.mime_type = content.mime_type
    file.kind = File.Kind.IMAGE if width is not None else File.Kind.OTHER
    file.width, file.height = width, height
    file.sha1, file.sha256 = (d if isinstance(d, str) else d.result() for d in digests)
    file.size = file.total_size = _size_of(content)
    file.complete = True
    with transaction.atomic():
        file.save(
            update_fields=[
                "mime_type",
                "kind",
                "width",
                "height",
                "sha1",
                "sha256",
                "size",
                "total_size",
                "complete",
            ]
        )
        if file.kind == File.Kind.IMAGE:
            record_derivation(file)


def _annotations(annotations) -> list[dict]:
    if isinstance(annotations, str):  # a multipart form carries them as a JSON string
        try:
            annotations = json.loads(annotations)
        except ValueError:
            raise invalid("annotations must be a JSON list of {type, value} objects.") from None
    return validate_annotations(annotations)


def owned_or_granted(viewer: User | None, file_token: str | None = None) -> Q:
    """The files a viewer may read: their own, public ones, and the one a file token names."""
    rule = Q(public=True)
    if viewer is not None:
        rule |= Q(user_id=viewer.pk)
    if file_token:
        rule |= Q(file_token=file_token) | Q(file_token_read=file_token)
    return rule


def visible_files(viewer: User | None, file_token: str | None = None) -> QuerySet[File]:
    return File.objects.filter(owned_or_granted(viewer, file_token), purpose=File.Purpose.FILE)


def get_file(viewer: User | None, file_id, file_token: str | None = None) -> File:
    """The file as this viewer may see it; someone else's private file is not found."""
    pk = parse_id(str(file_id), "file_id")
    file = visible_files(viewer, file_token).filter(pk=pk).for_rendering().first()
    if file is None:
        raise Refused(Reason.NOT_FOUND, f"File {pk} was not found.", subject="file")
    return file


def own_file(owner: User, file_id, file_token: str | None = None) -> File:
    """One of the owner's files (for changes): anyone else's, even public, is not found."""
    file = get_file(owner, file_id, file_token)
    if file.user_id != owner.pk:
        raise Refused(Reason.NOT_FOUND, f"File {file.pk} was not found.", subject="file")
    return file


def update_file(owner: User, file: File, *, name=None, public=None, annotations=None) -> File:
    """App.net's updatable fields: ``name``, ``public``, ``annotations``."""
    if name is not None:
        file.name = _text(name, "name", MAX_NAME)
    if public is not None:
        file.public = _flag(public, "public")
    if annotations is not None:
        file.annotations = _annotations(annotations)
    file.save(update_fields=["name", "public", "annotations"])
    return file


def delete_file(owner: User, file: File) -> File:
    """Delete the row, then its bytes once that has committed."""
    keys = stored_keys(file)
    with transaction.atomic():
        File.objects.filter(pk=file.pk).delete()
        transaction.on_commit(lambda: forget(*keys))
    return file


MAX_IDS = 200


def files_by_ids(viewer: User, ids: str, file_token: str | None = None) -> list[File]:
    """The files among a comma-separated list of ids this viewer may see, in the order asked."""
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
    wanted = list(dict.fromkeys(parse_id(part, "file id") for part in parts))
    found = visible_files(viewer, file_token).for_rendering().in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def get_file_by_guid(viewer: User | None, guid: str) -> File:
    """diaspora names files (photos) by guid: one the viewer may see, or not found."""
    file = visible_files(viewer).filter(guid=str(guid)[:32]).first()
    if file is None:
        raise Refused(Reason.NOT_FOUND, "No such photo.", subject="file")
    return file
