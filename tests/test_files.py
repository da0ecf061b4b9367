"""The files API as clients use it, in each dialect, against both stores (the local disk and S3
over HTTP: ``file_backend``): uploads, reads, updates, deletes, the content behind the signed
URLs, thumbnails made after the answer, the security of what is served, quotas and the sweep."""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from adn_api.uploads import CHUNK
from files.models import File
from files.services import store
from files.tasks import sweep_incomplete_files

from .conftest import Api
from .images import bomb, has_gps, jpeg_with_gps, png

pytestmark = pytest.mark.usefixtures("file_backend")

ADN = "/stream/0"
PNUT = "/v1"


def upload(
    api,
    token,
    data: bytes,
    *,
    path=f"{ADN}/files",
    field="content",
    name="pic.png",
    claimed="image/png",
    method="POST",
    **fields,
):
    body = {field: SimpleUploadedFile(name, data, content_type=claimed), **fields}
    if "type" not in fields and field == "content":
        body["type"] = "com.example.test"
    return api.call(method, path, token, body, as_json=False)


def fetch(api, url: str):
    """GET a content URL as a browser would (no token: the URL is the permission)."""
    response = api.client.get(url.split("127.0.0.1:8000", 1)[-1].replace("http://", ""))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.fixture
def token(alice, token_for):
    return token_for(alice)


# --- App.net ---------------------------------------------------------------------------------


def test_a_multipart_upload_answers_with_the_file_object_typed_from_its_bytes(api, token, alice):
    data = png(640, 480)
    response = upload(api, token, data, claimed="text/plain", name="holiday.png")
    assert response.status_code == 200, response.content
    file = response.json()["data"]
    assert file["kind"] == "image" and file["mime_type"] == "image/png"
    assert file["complete"] is True and file["public"] is False
    assert file["image_info"] == {"width": 640, "height": 480}
    assert file["name"] == "holiday.png" and file["type"] == "com.example.test"
    assert file["user"]["id"] == str(alice.pk)
    assert file["file_token"] and file["url"] and file["url_expires"].endswith("Z")
    assert "url_permanent" not in file
    assert file["derived_files"] == {}  # the API answered before the thumbnails were made
    served, body = fetch(api, file["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert hashlib.sha1(body).hexdigest() == file["sha1"] and len(body) == file["size"]


def test_thumbnails_are_made_by_the_task_after_the_answer(
    api, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file = upload(api, token, png(1200, 800)).json()["data"]
    got = api.get(f"{ADN}/files/{file['id']}", token).json()["data"]
    thumbs = got["derived_files"]
    assert set(thumbs) == {"image_thumb_200s", "image_thumb_960r"}
    assert thumbs["image_thumb_200s"]["image_info"] == {"width": 200, "height": 200}
    assert thumbs["image_thumb_960r"]["image_info"] == {"width": 640, "height": 427}
    assert got["total_size"] == got["size"] + sum(t["size"] for t in thumbs.values())
    served, body = fetch(api, thumbs["image_thumb_200s"]["url"])
    assert served.status_code == 200 and Image.open(io.BytesIO(body)).size == (200, 200)


def test_an_upload_of_many_read_pieces_is_stored_byte_for_byte(api, token, file_backend):
    # Larger than the pieces the body is read in (adn_api/uploads.py), with what looks like the
    # start of a multipart boundary across a piece's end: joined again exactly, digests of it.
    piece = CHUNK
    data = bytearray(os.urandom(2 * piece + 12345))
    data[piece - 3 : piece + 3] = b"\r\n--\r\n"
    data = bytes(data)
    response = upload(api, token, data, claimed="image/png", name="big.bin")
    assert response.status_code == 200, response.content
    file = response.json()["data"]
    assert file["mime_type"] == "application/octet-stream" and file["size"] == len(data)
    assert file["sha1"] == hashlib.sha1(data).hexdigest()
    assert File.objects.get(pk=file["id"]).sha256 == hashlib.sha256(data).hexdigest()
    served, body = fetch(api, file["url"])
    assert served.status_code == 200 and body == data
    assert len(file_backend.keys()) == 1


def test_metadata_first_then_put_content_completes_the_file(api, token):
    made = api.post(f"{ADN}/files", token, {"type": "com.example.doc", "name": "notes"})
    assert made.status_code == 200, made.content
    file = made.json()["data"]
    assert file["complete"] is False and "url" not in file
    assert api.get(f"{ADN}/files/{file['id']}/content", token).status_code == 404
    put = api.client.put(
        f"{ADN}/files/{file['id']}/content",
        data=b"plain words",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert put.status_code == 200, put.content
    done = put.json()["data"]
    assert done["complete"] is True and done["size"] == 11
    assert done["mime_type"] == "application/octet-stream" and done["kind"] == "other"
    redirect = api.get(f"{ADN}/files/{file['id']}/content", token)
    assert redirect.status_code == 302
    assert fetch(api, redirect["Location"])[1] == b"plain words"
    again = api.client.put(
        f"{ADN}/files/{file['id']}/content",
        data=b"other",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 400  # a complete file's content never changes


def test_retrieve_one_many_mine_update_and_delete(
    api, token, file_backend, django_capture_on_commit_callbacks
):
    ids = [upload(api, token, png(10 + i, 10)).json()["data"]["id"] for i in range(3)]
    one = api.get(f"{ADN}/files/{ids[0]}", token).json()["data"]
    assert one["id"] == ids[0]
    many = api.get(f"{ADN}/files", token, ids=f"{ids[2]},{ids[0]},999999").json()["data"]
    assert [f["id"] for f in many] == [ids[2], ids[0]]
    mine = api.get(f"{ADN}/users/me/files", token, count=2).json()
    assert [f["id"] for f in mine["data"]] == [ids[2], ids[1]] and mine["meta"]["more"] is True
    rest = api.get(f"{ADN}/users/me/files", token, before_id=mine["meta"]["min_id"]).json()
    assert [f["id"] for f in rest["data"]] == [ids[0]]

    updated = api.put(f"{ADN}/files/{ids[0]}", token, {"name": "renamed", "public": True})
    assert updated.status_code == 200, updated.content
    data = updated.json()["data"]
    assert data["name"] == "renamed" and data["public"] is True and data["url_permanent"]
    assert fetch(api, data["url_permanent"])[0].status_code == 200
    private = api.put(f"{ADN}/files/{ids[0]}", token, {"public": False}).json()["data"]
    assert "url_permanent" not in private
    assert fetch(api, data["url_permanent"])[0].status_code == 404  # no longer public

    keys_before = len(file_backend.keys())
    with django_capture_on_commit_callbacks(execute=True):  # the bytes go once it commits
        deleted = api.delete(f"{ADN}/files/{ids[1]}", token)
    assert deleted.status_code == 200 and deleted.json()["data"]["id"] == ids[1]
    assert api.get(f"{ADN}/files/{ids[1]}", token).status_code == 404
    assert len(file_backend.keys()) == keys_before - 1


def test_bad_input_is_a_clear_400_and_nothing_is_written(api, token, file_backend):
    no_type = upload(api, token, png(), type="")
    assert no_type.status_code == 400 and "type" in no_type.json()["meta"]["error_message"]
    bad_public = upload(api, token, png(), public="perhaps")
    assert bad_public.status_code == 400
    bad_notes = upload(api, token, png(), annotations="{not json")
    assert bad_notes.status_code == 400
    assert api.get(f"{ADN}/files", token).status_code == 400  # ids is required
    assert api.get(f"{ADN}/files/abc", token).status_code == 400
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_scopes(api, alice, token_for):
    basic = token_for(alice, ["basic"])
    denied = upload(api, basic, png())
    assert denied.status_code == 403 and "files" in denied.json()["meta"]["error_message"]
    poster = token_for(alice, ["basic", "write_post"])  # may attach photos to posts
    assert upload(api, poster, png()).status_code == 200
    assert api.get(f"{ADN}/users/me/files", poster).status_code == 403  # managing: files
    assert api.get(f"{ADN}/users/me/files").status_code == 401


# --- security --------------------------------------------------------------------------------


def test_html_claiming_to_be_a_png_is_served_inert(api, token):
    page = b"<html><script>alert(document.cookie)</script></html>"
    file = upload(api, token, page, name="x.png", claimed="image/png").json()["data"]
    assert file["mime_type"] == "application/octet-stream" and file["kind"] == "other"
    served, body = fetch(api, file["url"])
    assert served.status_code == 200 and body == page
    assert served["Content-Type"] == "application/octet-stream"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment")
    assert "sandbox" in served["Content-Security-Policy"]


def test_svg_is_an_attachment(api, token):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    file = upload(api, token, svg, name="a.svg", claimed="image/svg+xml").json()["data"]
    served, _ = fetch(api, file["url"])
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment")


def test_a_decompression_bomb_is_refused_and_nothing_stored(api, token, file_backend):
    response = upload(api, token, bomb(), name="bomb.png")
    assert response.status_code == 400
    assert "pixels" in response.json()["meta"]["error_message"]
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_a_private_files_url_stops_working_when_it_expires(api, token, monkeypatch):
    file = upload(api, token, png()).json()["data"]
    assert fetch(api, file["url"])[0].status_code == 200
    later = time.time() + 3601
    monkeypatch.setattr(store.time, "time", lambda: later)
    assert fetch(api, file["url"])[0].status_code == 404
    forged = file["url"][:-3] + "abc"
    monkeypatch.undo()
    assert fetch(api, forged)[0].status_code == 404


def test_another_users_private_file_is_not_found(api, token, bob, token_for):
    file = upload(api, token, png()).json()["data"]
    other = token_for(bob)
    assert api.get(f"{ADN}/files/{file['id']}", other).status_code == 404
    assert api.get(f"{ADN}/files/{file['id']}/content", other).status_code == 404
    assert api.get(f"{ADN}/files", other, ids=file["id"]).json()["data"] == []
    assert api.delete(f"{ADN}/files/{file['id']}", other).status_code == 404
    # A read token (as annotations hand out) opens it, without the write token.
    shared = api.get(f"{ADN}/files/{file['id']}", other, file_token=file_read_token(file))
    assert shared.status_code == 200 and "file_token" not in shared.json()["data"]


def file_read_token(file: dict) -> str:
    return File.objects.get(pk=file["id"]).file_token_read


def test_exif_gps_is_gone_from_a_public_photo(api, token):
    original = jpeg_with_gps()
    assert has_gps(original)
    file = upload(api, token, original, name="p.jpg", claimed="image/jpeg", public="1")
    data = file.json()["data"]
    assert data["public"] is True and data["mime_type"] == "image/jpeg"
    served, body = fetch(api, data["url_permanent"])
    assert served.status_code == 200 and not has_gps(body)
    assert Image.open(io.BytesIO(body)).size == (800, 600)


# --- quotas and the sweep ----------------------------------------------------------------------


def test_an_upload_past_the_quota_is_507_and_leaves_no_bytes(api, token, settings, file_backend):
    settings.FILE_QUOTA_BYTES = 5000
    first = upload(api, token, b"x" * 3000, name="a.bin")
    assert first.status_code == 200
    storage = api.get(f"{ADN}/token", token).json()["data"]["storage"]
    assert storage == {"used": 3000, "available": 2000}
    keys = file_backend.keys()
    refused = upload(api, token, b"y" * 3000, name="b.bin")
    assert refused.status_code == 507
    assert "quota" in refused.json()["meta"]["error_message"]
    assert File.objects.count() == 1 and file_backend.keys() == keys
    pnut_token = api.get(f"{PNUT}/token", token).json()["data"]["storage"]
    assert pnut_token == {"available": 2000, "total": 5000}


def test_a_file_over_the_size_limit_is_413(api, token, settings, file_backend):
    settings.FILE_MAX_BYTES = 1000
    response = upload(api, token, b"z" * 1001, name="big.bin")
    assert response.status_code == 413
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_the_sweep_removes_incomplete_files_older_than_a_day(api, token, file_backend):
    old = api.post(f"{ADN}/files", token, {"type": "com.example.t"}).json()["data"]
    fresh = api.post(f"{ADN}/files", token, {"type": "com.example.t"}).json()["data"]
    row = File.objects.get(pk=old["id"])
    store.save(row.storage_key, b"half an upload")  # the bytes an interrupted upload left
    File.objects.filter(pk=old["id"]).update(created_at=timezone.now() - timedelta(days=1, hours=1))
    assert sweep_incomplete_files() == 1
    assert list(File.objects.values_list("pk", flat=True)) == [int(fresh["id"])]
    assert file_backend.keys() == []


# --- annotations, oEmbed ---------------------------------------------------------------------


def test_a_post_with_a_file_attached_shows_the_photo_oembed(api, token, bob, token_for):
    file = upload(api, token, png(300, 200)).json()["data"]
    ref = {"file_id": file["id"], "file_token": file["file_token"], "format": "oembed"}
    made = api.post(
        f"{ADN}/posts",
        token,
        {
            "text": "a photo",
            "annotations": [
                {"type": "net.app.core.oembed", "value": {"+net.app.core.file": ref}},
                {
                    "type": "net.app.core.attachments",
                    "value": {"+net.app.core.file_list": [{**ref, "format": "metadata"}]},
                },
            ],
        },
    )
    assert made.status_code == 200, made.content
    post_id = made.json()["data"]["id"]
    read = api.get(f"{ADN}/posts/{post_id}", token_for(bob), include_annotations=1)
    oembed, attachments = read.json()["data"]["annotations"]
    value = oembed["value"]
    assert value["type"] == "photo" and (value["width"], value["height"]) == (300, 200)
    assert value["file_token"] != file["file_token"]  # never the write token
    assert fetch(api, value["url"])[0].status_code == 200
    listed = attachments["value"]["file_list"]
    assert listed[0]["file_id"] == file["id"] and listed[0]["mime_type"] == "image/png"
    pnut = api.get(f"{PNUT}/posts/{post_id}", token_for(bob), include_raw=1).json()["data"]
    assert pnut["raw"]["net.app.core.oembed"][0]["type"] == "photo"


def test_a_post_naming_a_file_with_the_wrong_token_is_refused(api, token):
    file = upload(api, token, png()).json()["data"]
    ref = {"file_id": file["id"], "file_token": "wrong", "format": "url"}
    response = api.post(
        f"{ADN}/posts",
        token,
        {"text": "x", "annotations": [{"type": "com.x", "value": {"+net.app.core.file": ref}}]},
    )
    assert response.status_code == 400
    assert api.get(f"{ADN}/posts/stream/global").json()["data"] == []


def test_oembed_for_a_public_photo(api, token):
    public = upload(api, token, png(50, 40), public="true").json()["data"]
    response = api.get(f"{ADN}/oembed", url=public["url_permanent"])
    assert response.status_code == 200, response.content
    assert response.json()["data"]["type"] == "photo"
    assert response.json()["data"]["width"] == 50
    private = upload(api, token, png()).json()["data"]
    assert api.get(f"{ADN}/oembed", url=private["url"]).status_code == 404
    assert api.get(f"{ADN}/oembed", url="https://example.com/x").status_code == 404


# --- avatars and covers ------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["avatar", "cover"])
def test_avatar_and_cover_uploads_show_real_dimensions(api, token, alice, bob, which):
    key = f"{which}_image"
    before = api.get(f"{ADN}/users/{alice.pk}").json()["data"][key]
    assert before["is_default"] is True
    response = upload(api, token, png(320, 240), path=f"{ADN}/users/me/{which}", field=which)
    assert response.status_code == 200, response.content
    image = response.json()["data"][key]
    assert image["is_default"] is False and (image["width"], image["height"]) == (320, 240)
    redirect = api.get(f"{ADN}/users/{alice.pk}/{which}")
    assert redirect.status_code == 302 and redirect["Location"] == image["url"]
    served, body = fetch(api, image["url"])
    assert served.status_code == 200 and Image.open(io.BytesIO(body)).size == (320, 240)
    # A second upload replaces the first (one file of that purpose).
    upload(api, token, png(100, 100), path=f"{ADN}/users/me/{which}", field=which)
    assert File.objects.filter(user=alice, purpose=which).count() == 1
    default = api.get(f"{ADN}/users/{bob.pk}/{which}")
    assert default.status_code == 302 and default["Location"].endswith(f"{which}-default.png")
    assert (
        upload(
            api, token, b"not an image", path=f"{ADN}/users/me/{which}", field=which, name="x.txt"
        ).status_code
        == 400
    )


# --- pnut ------------------------------------------------------------------------------------


def test_pnut_files(api, token, alice):
    made = upload(api, token, png(64, 48), path=f"{PNUT}/files", is_public="1")
    assert made.status_code == 201, made.content
    file = made.json()["data"]
    assert list(made.json())[0] == "meta"
    assert file["is_complete"] is True and file["is_public"] is True
    assert file["image_info"] == {"width": 64, "height": 48}
    assert len(file["sha256"]) == 64 and file["url"] and file["url_expires_at"]
    assert file["url_short"]  # public: a link that lasts while it stays public
    got = api.get(f"{PNUT}/files/{file['id']}", token).json()["data"]
    assert got["id"] == file["id"]
    assert [f["id"] for f in api.get(f"{PNUT}/users/me/files", token).json()["data"]] == [
        file["id"]
    ]
    assert api.get(f"{PNUT}/files", token, ids=file["id"]).json()["data"][0]["id"] == file["id"]
    noted = upload(api, token, b"n", path=f"{PNUT}/files", raw=json.dumps({"com.n": [{"a": 1}]}))
    shown = api.get(f"{PNUT}/files/{noted.json()['data']['id']}", token, include_raw=1)
    assert shown.json()["data"]["raw"] == {"com.n": [{"a": 1}]}
    api.delete(f"{PNUT}/files/{noted.json()['data']['id']}", token)
    renamed = api.put(f"{PNUT}/files/{file['id']}", token, {"name": "n", "is_public": False})
    assert renamed.json()["data"]["name"] == "n" and renamed.json()["data"]["is_public"] is False
    avatar = upload(api, token, png(90, 90), path=f"{PNUT}/users/me/avatar", field="avatar")
    assert avatar.json()["data"]["content"]["avatar_image"]["width"] == 90
    assert api.get(f"{PNUT}/users/{alice.pk}/avatar").status_code == 302
    assert api.delete(f"{PNUT}/files/{file['id']}", token).status_code == 200
    assert api.get(f"{PNUT}/files/{file['id']}", token).status_code == 404


# --- diaspora --------------------------------------------------------------------------------


def test_diaspora_photos(api, token, bob, token_for, alice):
    image = SimpleUploadedFile("me.png", png(120, 80), content_type="image/png")
    made = api.call("POST", "/api/v1/photos", token, {"image": image}, as_json=False)
    assert made.status_code == 200, made.content
    photo = made.json()
    assert photo["dimensions"] == {"height": 80, "width": 120} and len(photo["guid"]) == 32
    assert set(photo["sizes"]) == {"small", "medium", "large", "raw"}
    assert fetch(api, photo["sizes"]["raw"])[0].status_code == 200
    assert [p["guid"] for p in api.get("/api/v1/photos", token).json()] == [photo["guid"]]
    assert api.get(f"/api/v1/photos/{photo['guid']}", token).json()["guid"] == photo["guid"]
    missing = api.get(f"/api/v1/photos/{photo['guid']}", token_for(bob))
    assert missing.status_code == 404
    assert missing.json() == {"code": 404, "message": "Photo with provided guid could not be found"}
    text = SimpleUploadedFile("a.txt", b"hello", content_type="image/png")
    refused = api.call("POST", "/api/v1/photos", token, {"image": text}, as_json=False)
    assert refused.status_code == 422 and refused.json()["message"] == "Failed to create the photo"
    as_avatar = SimpleUploadedFile("me.png", png(70, 70), content_type="image/png")
    api.call(
        "POST",
        "/api/v1/photos",
        token,
        {"image": as_avatar, "set_profile_photo": "true"},
        as_json=False,
    )
    alice.refresh_from_db()
    assert alice.avatar_width == 70
    assert api.delete(f"/api/v1/photos/{photo['guid']}", token).status_code == 204
    assert api.get(f"/api/v1/photos/{photo['guid']}", token).status_code == 404
    # The same rows in App.net's dialect.
    assert api.get(f"{ADN}/users/me/files", token).json()["data"][0]["type"] == "org.diaspora.photo"


# --- constant queries ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["users/me/files", "files?ids={ids}"])
def test_file_lists_take_a_constant_number_of_queries(api, token, path):
    def queries(n: int) -> int:
        File.objects.all().delete()
        ids = ",".join(
            upload(api, token, b"f%d" % i, name="f.bin").json()["data"]["id"] for i in range(n)
        )
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"{ADN}/{path.format(ids=ids)}", token, include_annotations=1)
        assert response.status_code == 200 and len(response.json()["data"]) == n
        return len(captured)

    assert queries(1) == queries(6)


def test_user_annotations_carry_file_values(api, token, alice, bob, token_for):
    file = upload(api, token, png(30, 20), public="1").json()["data"]
    ref = {"file_id": file["id"], "file_token": file["file_token"], "format": "metadata"}
    changed = api.patch(
        f"{ADN}/users/me",
        token,
        {"annotations": [{"type": "com.example.pic", "value": {"+net.app.core.file": ref}}]},
        include_annotations=1,
    )
    assert changed.status_code == 200, changed.content
    (shown,) = api.get(f"{ADN}/users/{alice.pk}", token_for(bob), include_annotations=1).json()[
        "data"
    ]["annotations"]
    assert shown["value"]["file_id"] == file["id"] and shown["value"]["size"] == file["size"]
    assert "+net.app.core.file" not in shown["value"]
    pnut = api.get(f"{PNUT}/users/{alice.pk}", token_for(bob), include_raw=1).json()["data"]
    assert pnut["raw"]["com.example.pic"][0]["file_id"] == file["id"]
    api.patch(f"{ADN}/users/me", token, {"annotations": [{"type": "com.example.pic"}]})
    alice.refresh_from_db()
    assert alice.annotations == []
    wrong = {**ref, "file_token": "nope"}
    refused = api.patch(
        f"{ADN}/users/me",
        token,
        {"annotations": [{"type": "com.x", "value": {"+net.app.core.file": wrong}}]},
    )
    assert refused.status_code == 400


def test_messages_and_channels_carry_file_values(api, token, bob, token_for):
    file = upload(api, token, png(40, 30)).json()["data"]
    ref = {"file_id": file["id"], "file_token": file["file_token"], "format": "oembed"}
    attached = [{"type": "net.app.core.oembed", "value": {"+net.app.core.file": ref}}]
    made = api.post(
        f"{ADN}/channels",
        token,
        {"type": "com.example.room", "readers": {"public": True}, "annotations": attached},
    )
    assert made.status_code == 200, made.content
    channel_id = made.json()["data"]["id"]
    sent = api.post(
        f"{ADN}/channels/{channel_id}/messages", token, {"text": "a photo", "annotations": attached}
    )
    assert sent.status_code == 200, sent.content
    reader = token_for(bob)
    (message,) = api.get(
        f"{ADN}/channels/{channel_id}/messages", reader, include_annotations=1
    ).json()["data"]
    channel = api.get(f"{ADN}/channels/{channel_id}", reader, include_annotations=1).json()["data"]
    for shown in (message["annotations"][0]["value"], channel["annotations"][0]["value"]):
        assert shown["type"] == "photo" and (shown["width"], shown["height"]) == (40, 30)
        assert "+net.app.core.file" not in shown
    # Someone else's file cannot be attached: nothing is written.
    theirs = upload(api, reader, png()).json()["data"]
    wrong = [{"type": "x.y", "value": {"+net.app.core.file": {**ref, "file_id": theirs["id"]}}}]
    refused = api.post(
        f"{ADN}/channels/{channel_id}/messages", token, {"text": "x", "annotations": wrong}
    )
    assert refused.status_code == 400, refused.content
    assert len(api.get(f"{ADN}/channels/{channel_id}/messages", reader).json()["data"]) == 1


def test_a_store_failing_mid_upload_leaves_no_row_and_no_bytes(
    api, token, file_backend, monkeypatch
):
    real_save = store.save

    def half_then_fail(key: str, data: bytes) -> None:
        real_save(key, data[: len(data) // 2])  # some bytes arrived, then the store went away
        raise ConnectionError("the store went away")

    monkeypatch.setattr(store, "save", half_then_fail)
    response = upload(api, token, png())
    assert response.status_code == 503
    assert "unavailable" in response.json()["meta"]["error_message"]
    assert File.objects.count() == 0 and file_backend.keys() == []


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_both_pass_the_quota(alice, token_for, settings):
    settings.FILE_QUOTA_BYTES = 6000
    token = token_for(alice)
    barrier = threading.Barrier(2)
    statuses = []

    def one(tag: bytes) -> None:
        try:
            client = Api()
            barrier.wait()
            statuses.append(upload(client, token, tag * 4000, name="q.bin").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(t,)) for t in (b"a", b"b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200, 507]
    assert File.objects.count() == 1


# --- uploads taken as they arrive ------------------------------------------------------------


def test_a_pdf_is_typed_from_its_first_bytes(api, token):
    data = b"%PDF-1.7\n" + os.urandom(50_000)
    file = upload(api, token, data, claimed="image/png", name="paper.pdf").json()["data"]
    assert file["mime_type"] == "application/pdf" and file["kind"] == "other"
    assert file["sha1"] == hashlib.sha1(data).hexdigest() and file["size"] == len(data)


def test_a_store_failing_while_the_bytes_arrive_is_503_and_keeps_nothing(
    api, token, file_backend, monkeypatch
):
    for spool in (store.DiskSpool, store.MemorySpool):
        real_write = spool.write

        def half_then_full(self, data, real_write=real_write):
            if getattr(self, "pieces", 0):
                raise OSError(28, "No space left on device")
            self.pieces = 1
            real_write(self, data)

        monkeypatch.setattr(spool, "write", half_then_full)
    response = upload(api, token, os.urandom(3 * CHUNK), name="big.bin")
    assert response.status_code == 503
    assert "unavailable" in response.json()["meta"]["error_message"]
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_a_store_failing_as_the_bytes_are_stored_keeps_nothing(
    api, token, file_backend, monkeypatch
):
    real_save = store._save

    def stored_then_fail(key, content):
        real_save(key, content)
        raise ConnectionError("the store went away")

    monkeypatch.setattr(store, "_save", stored_then_fail)
    response = upload(api, token, os.urandom(CHUNK + 1), name="big.bin")
    assert response.status_code == 503
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_a_multipart_body_cut_short_is_400_and_keeps_nothing(api, token, file_backend):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(
        BOUNDARY,
        {
            "type": "com.example.t",
            "content": SimpleUploadedFile("cut.bin", os.urandom(CHUNK + 5000)),
        },
    )
    cut = body[: len(body) // 2]
    response = api.client.generic(
        "POST",
        f"{ADN}/files",
        cut,
        content_type=MULTIPART_CONTENT,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400, response.content
    assert File.objects.count() == 0 and file_backend.keys() == []


def test_the_sweep_removes_what_an_interrupted_upload_spooled(api, token, file_backend):
    if file_backend.name != "local":
        pytest.skip("an upload to S3 is spooled in memory: a dead process leaves nothing")
    stale, fresh = store.spool(), store.spool()
    stale.write(b"the first half of an upload whose process died")
    fresh.write(b"an upload still arriving")
    day_ago = time.time() - 25 * 3600
    os.utime(stale.path, (day_ago, day_ago))
    assert sweep_incomplete_files() == 0  # no files: only the spool had anything
    assert not os.path.exists(stale.path) and os.path.exists(fresh.path)
    fresh.discard()
    assert file_backend.keys() == []


def test_two_content_parts_store_the_last_and_leave_nothing_of_the_first(api, token, file_backend):
    first, last = os.urandom(CHUNK + 10), os.urandom(5000)
    body = {
        "type": "com.example.t",
        "content": [SimpleUploadedFile("1.bin", first), SimpleUploadedFile("2.bin", last)],
    }
    response = api.call("POST", f"{ADN}/files", token, body, as_json=False)
    assert response.status_code == 200, response.content
    file = response.json()["data"]
    assert file["sha1"] == hashlib.sha1(last).hexdigest() and file["name"] == "2.bin"
    assert len(file_backend.keys()) == 1
