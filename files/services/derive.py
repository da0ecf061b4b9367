"""The work done on files after their request has answered: thumbnails (on a worker) and the
sweep of incomplete uploads. Idempotent: a task delivered twice finds its work done."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import Refused

from ..models import Derivation, File
from . import images, store

logger = logging.getLogger(__name__)


def forget(*keys: str) -> None:
    """Delete bytes from the store; a store that is down leaves them (and says so)."""
    try:
        store.delete(*keys)
    except Exception:
        logger.warning("could not delete %s from the file store", keys, exc_info=True)


def stored_keys(file: File) -> list[str]:
    return [file.storage_key, *(d.get("storage_key", "") for d in file.derived.values())]


def sweep_incomplete(older_than: timedelta | None = None) -> int:
    """Remove incomplete files older than a day (FILE_INCOMPLETE_SECONDS) and whatever bytes an
    interrupted upload stored for them, or left in the spool (``store.sweep_spools``). Returns
    how many files."""
    age = older_than or timedelta(seconds=settings.FILE_INCOMPLETE_SECONDS)
    try:
        if spooled := store.sweep_spools(age):
            logger.info("swept %d spooled uploads their process left", spooled)
    except Exception:
        logger.warning("could not sweep the upload spool", exc_info=True)
    stale = File.objects.filter(complete=False, created_at__lt=timezone.now() - age)
    removed = 0
    for file in list(stale.order_by("id")[:1000]):
        keys = stored_keys(file)
        if File.objects.filter(pk=file.pk, complete=False).delete()[0]:
            forget(*keys)
            removed += 1
    return removed


def make_derived_files(derivation_id: int) -> None:
    """The worker's part: the thumbnails of an image, stored, then recorded on the row."""
    derivation = Derivation.objects.select_related("file").filter(pk=derivation_id).first()
    if derivation is None or derivation.completed_at is not None:
        return  # the file was deleted, or another delivery did it
    file = derivation.file
    try:
        made = images.thumbnails(store.read(file.storage_key))
    except Refused:  # a bomb that got this far all the same: no thumbnails, no crash
        made = []
    derived = {}
    for thumb in made:
        key = f"{file.storage_key}_{thumb.key}"
        store.save(key, thumb.data)
        stem = file.name.rsplit(".", 1)[0] if file.name else ""
        ext = thumb.mime_type.split("/")[1].replace("jpeg", "jpg")
        derived[thumb.key] = {
            "storage_key": key,
            "name": f"{stem}_{thumb.key}.{ext}" if stem else "",
            "mime_type": thumb.mime_type,
            "sha1": hashlib.sha1(thumb.data).hexdigest(),
            "sha256": hashlib.sha256(thumb.data).hexdigest(),  # pnut's derived files show it
            "size": len(thumb.data),
            "width": thumb.width,
            "height": thumb.height,
        }
    extra = sum(d["size"] for d in derived.values())
    with transaction.atomic():
        updated = File.objects.filter(pk=file.pk).update(
            derived=derived, total_size=file.size + extra
        )
        Derivation.objects.filter(pk=derivation.pk).update(completed_at=timezone.now())
    if not updated:  # deleted meanwhile: its thumbnails go too
        forget(*(d["storage_key"] for d in derived.values()))
