"""App.net's annotation replacement values for files, for any object that carries annotations.

A writer attaches a file with ``{"+net.app.core.file": {"file_id", "file_token", "format"}}``
inside an annotation's value (or a list of them under ``+net.app.core.file_list``).
``check_references`` runs when the annotations are written (the file must exist, be complete,
and the token must be the file's); ``expand`` runs when they are read, for a whole page at once
(one query), and puts the file's current value in place: its URL (fresh, so a private file's
link has not expired), its metadata, or for an image the photo oEmbed. The file's write token is
never shown there, only its read token.

Posts and user profiles call these; messages and channels call them the same way: ``annotations
= check_references(author, validate_annotations(raw))`` before saving, and
``expand({object_id: annotations, …})`` over a page before rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from django.conf import settings

from core.errors import Refused, invalid

from ..models import File
from . import store

FILE = "+net.app.core.file"
FILE_LIST = "+net.app.core.file_list"
# pnut spells the same replacement values in its own namespace.
ALIASES = {"+io.pnut.core.file": FILE, "+io.pnut.core.file_list": FILE_LIST}
FORMATS = ("url", "metadata", "oembed")


def _canonical(value: dict) -> dict:
    if not any(key in value for key in ALIASES):
        return value
    return {ALIASES.get(key, key): item for key, item in value.items()}


def _references(annotations: Iterable[dict]) -> Iterable[tuple[int, dict]]:
    for index, annotation in enumerate(annotations):
        value = annotation.get("value")
        if not isinstance(value, dict):
            continue
        value = _canonical(value)
        if FILE in value:
            yield index, value[FILE]
        if FILE_LIST in value:
            items = value[FILE_LIST]
            if not isinstance(items, list):
                raise invalid(f"annotations[{index}]: {FILE_LIST} must be a list.")
            for item in items:
                yield index, item


def _reference_id(index: int, ref) -> int:
    if not isinstance(ref, dict) or not isinstance(ref.get("file_token"), str):
        raise invalid(f"annotations[{index}]: {FILE} needs file_id, file_token and format.")
    if ref.get("format", "url") not in FORMATS:
        raise invalid(f"annotations[{index}]: format must be one of {', '.join(FORMATS)}.")
    try:
        return int(str(ref.get("file_id")))
    except ValueError:
        raise invalid(f"annotations[{index}]: file_id must be a file's id.") from None


def check_references(owner, annotations: list[dict]) -> list[dict]:
    """Refuse references to files that are not there, not complete, or whose token is wrong
    (and oEmbeds of files that are not images); the annotations are stored as written."""
    refs = [(index, _reference_id(index, ref), ref) for index, ref in _references(annotations)]
    if not refs:
        return annotations
    files = File.objects.in_bulk({file_id for _, file_id, _ in refs})
    for index, file_id, ref in refs:
        file = files.get(file_id)
        token = ref["file_token"]
        if file is None or token not in (file.file_token, file.file_token_read):
            raise invalid(f"annotations[{index}]: file {file_id} was not found for that token.")
        if not file.complete:
            raise invalid(f"annotations[{index}]: file {file_id} has no content yet.")
        if ref.get("format") == "oembed" and not file.is_image:
            raise invalid(f"annotations[{index}]: file {file_id} is not an image.")
    return annotations


def file_link(file: File, derived_key: str = "") -> store.Link:
    return store.link(file.pk, derived_key, permanent=file.public)


def expires_text(link: store.Link) -> str | None:
    if link.expires_at is None:
        return None
    return _iso(link.expires_at)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def url_value(file: File) -> dict:
    link = file_link(file)
    return {
        "file_id": str(file.pk),
        "file_token": file.file_token_read,
        "url": link.url,
        "url_expires": expires_text(link),
    }


def metadata_value(file: File) -> dict:
    value = {
        **url_value(file),
        "kind": file.kind,
        "mime_type": file.mime_type,
        "name": file.name,
        "sha1": file.sha1,
        "size": file.size,
        "total_size": file.total_size,
        "type": file.type,
    }
    if file.is_image:
        value["image_info"] = {"width": file.width, "height": file.height}
    return value


def oembed_value(file: File) -> dict:
    """The photo oEmbed of an image (``net.app.core.oembed``), with its 200px thumbnail once
    made (the image itself until then)."""
    link = file_link(file)
    value = {
        "version": "1.0",
        "type": "photo",
        "width": file.width,
        "height": file.height,
        "url": link.url,
        "url_expires": expires_text(link),
        "title": file.name,
        "provider_name": "App.net",
        "provider_url": settings.PUBLIC_URL,
        "file_id": str(file.pk),
        "file_token": file.file_token_read,
    }
    thumb = file.derived.get("image_thumb_960r")
    thumb_link = file_link(file, "image_thumb_960r") if thumb else link
    value.update(
        thumbnail_url=thumb_link.url,
        thumbnail_url_expires=expires_text(thumb_link),
        thumbnail_width=thumb["width"] if thumb else file.width,
        thumbnail_height=thumb["height"] if thumb else file.height,
    )
    return value


RENDER = {"url": url_value, "metadata": metadata_value, "oembed": oembed_value}


def _replaced(ref, files: Mapping[int, File]) -> dict | None:
    try:
        file = files.get(int(str(ref.get("file_id"))))
    except (ValueError, AttributeError):
        return None
    if file is None or not file.complete:
        return None
    return RENDER.get(ref.get("format", "url"), url_value)(file)


def _expand_one(annotations: list[dict], files: Mapping[int, File]) -> list[dict]:
    out = []
    for annotation in annotations:
        value = annotation.get("value")
        if isinstance(value, dict):
            value = _canonical(value)
        if not isinstance(value, dict) or not (FILE in value or FILE_LIST in value):
            out.append(annotation)
            continue
        value = dict(value)
        if FILE in value:
            replaced = _replaced(value.pop(FILE), files)
            if replaced is None:
                continue  # the file is gone: so is the annotation that showed it
            value.update(replaced)
        if FILE_LIST in value:
            items = value.pop(FILE_LIST)
            value["file_list"] = [
                r for r in (_replaced(i, files) for i in items if isinstance(i, dict)) if r
            ]
        out.append({"type": annotation["type"], "value": value})
    return out


def expand(by_object: Mapping[int, list[dict]]) -> dict[int, list[dict]]:
    """Each object's annotations with file references replaced: one query for the page."""
    wanted = set()
    for listed in by_object.values():
        for _, ref in _safe_references(listed):
            try:
                wanted.add(int(str(ref.get("file_id"))))
            except (ValueError, AttributeError):
                continue
    if not wanted:
        return dict(by_object)
    files = File.objects.in_bulk(wanted)
    return {key: _expand_one(listed, files) for key, listed in by_object.items()}


def _safe_references(annotations: list[dict]) -> list[tuple[int, dict]]:
    try:
        return [(i, r) for i, r in _references(annotations) if isinstance(r, dict)]
    except Refused:  # a malformed list stored before the check existed: shown as stored
        return []
