"""A user's uploaded file, and the outbox row of the work done on it after upload.

The bytes live in the "files" storage (local disk or S3: ``files/services/store.py``) under a
random key written on the row before any byte is stored, so a sweep can always find and remove
what an interrupted upload left.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_key() -> str:
    return uuid.uuid4().hex


class FileQuerySet(models.QuerySet):
    def for_rendering(self) -> FileQuerySet:
        """What rendering a file reads besides its row: owner, app and the app's link."""
        return self.select_related("user", "source__profile")


class File(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image"
        OTHER = "other"

    class Purpose(models.TextChoices):
        FILE = "file"  # uploaded through the files API (or diaspora's photos)
        AVATAR = "avatar"
        COVER = "cover"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    guid = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.FILE)
    name = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OTHER)
    # Sniffed from the bytes, never taken from the client.
    mime_type = models.CharField(max_length=100, default="application/octet-stream")
    public = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    annotations = models.JSONField(default=list, blank=True)
    source = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_token = models.CharField(max_length=40, default=new_token, editable=False)
    file_token_read = models.CharField(max_length=40, default=new_token, editable=False)
    storage_key = models.CharField(max_length=100, unique=True, editable=False)
    # Bytes reserved against the quota: the declared size while incomplete, then the real one.
    size = models.PositiveBigIntegerField(default=0)
    total_size = models.PositiveBigIntegerField(default=0)
    sha1 = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # {key: {storage_key, name, mime_type, sha1, size, width, height}} once made.
    derived = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = FileQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["user", "-id"], name="file_user_newest"),
            models.Index(
                fields=["created_at"], condition=models.Q(complete=False), name="file_incomplete"
            ),
        ]

    def __str__(self) -> str:
        return f"file {self.pk} of user {self.user_id}"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE and self.width is not None


class Derivation(models.Model):
    """The outbox row of a file's derived files (thumbnails), written in the transaction that
    completes the file: if the broker cannot take the task then, the sweep enqueues it later."""

    file = models.OneToOneField(File, on_delete=models.CASCADE, related_name="derivation")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(completed_at__isnull=True),
                name="derivation_pending",
            )
        ]

    def __str__(self) -> str:
        return f"derived files of file {self.file_id}"
