"""Files in the admin: a moderator sees each with its thumbnail, size and owner, and deletes
one (its row and its bytes)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client

from files.models import File
from files.services import store
from files.services.files import create_file

from ..images import png

pytestmark = pytest.mark.django_db


def test_a_moderator_sees_and_deletes_a_file(
    moderator_account, make_user, file_backend, django_capture_on_commit_callbacks
):
    owner = make_user("uploader")
    with django_capture_on_commit_callbacks(execute=True):
        file = create_file(owner, type="com.x", content=png(500, 400), name="cat.png")
    client = Client()
    client.force_login(moderator_account)
    page = client.get("/admin/files/file/").content.decode()
    assert "cat.png" in page and "@uploader" in page and "<img" in page
    thumb = File.objects.get(pk=file.pk).derived["image_thumb_200s"]
    assert store.link(file.pk, "image_thumb_200s").url.split("/files/content/")[0] in page
    assert thumb["width"] == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/files/file/",
            {"action": "delete_files", "_selected_action": [file.pk]},
            follow=True,
        )
    assert "Deleted 1 file(s)." in response.content.decode()
    assert not File.objects.filter(pk=file.pk).exists()
    logged = LogEntry.objects.get(action_flag=DELETION, object_id=str(file.pk))
    assert logged.user_id == moderator_account.pk and logged.object_repr == str(file)
    assert file_backend.keys() == []


def test_someone_without_the_permission_cannot(make_user, file_backend):
    clerk = make_user("clerk", is_staff=True)
    owner = make_user("uploader")
    file = create_file(owner, type="com.x", content=b"bytes", name="a.bin")
    client = Client()
    client.force_login(clerk)
    assert client.get("/admin/files/file/").status_code == 403
    assert File.objects.filter(pk=file.pk).exists()
