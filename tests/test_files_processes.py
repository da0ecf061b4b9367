"""Files through real processes, against both stores: gunicorn serving the API to the client
libraries (pnutpy's file calls, and App.net's as ADNpy makes them), and a Celery worker making
thumbnails after the answer — and surviving a decompression bomb."""

from __future__ import annotations

import hashlib
import io
import os

import pnutpy
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from adn_api.uploads import CHUNK
from files.models import Derivation, File
from files.services import store
from files.tasks import enqueue_derivation

from .conftest import Api
from .images import bomb, png
from .processes import celery_worker, free_port, wait_for, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_pnutpy_uploads_attaches_and_deletes(file_backend, alice, token_for):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with web_server(port, PUBLIC_URL=base, **file_backend.env):
        api = pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token_for(alice))
        file, meta = api.create_file(
            files={"content": ("photo.png", png(400, 300), "image/png")},
            data={"type": "com.example.pnutpy", "is_public": "1"},
        )
        assert meta.code == 201 and file.kind == "image" and file.is_public
        assert file.image_info.width == 400
        ref = {"file_id": file.id, "file_token": file.file_token, "format": "oembed"}
        post, _ = api.create_post(
            data={
                "text": "from pnutpy",
                "raw": {"io.pnut.core.oembed": [{"+io.pnut.core.file": ref}]},
            }
        )
        shown, _ = api.get_post(post.id, include_raw=1)
        oembed = shown.raw["io.pnut.core.oembed"][0]
        assert oembed["type"] == "photo" and (oembed["width"], oembed["height"]) == (400, 300)
        image = requests.get(oembed["url"], timeout=10)
        assert image.status_code == 200 and image.headers["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(image.content)).size == (400, 300)
        mine, _ = api.get_my_files()
        assert [f.id for f in mine] == [file.id]
        content = api.get_file_content(file.id)
        assert content.status_code == 200 and content.content == image.content
        api.delete_file(file.id)
        with pytest.raises(pnutpy.errors.PnutMissing):
            api.get_file(file.id)
        assert requests.get(oembed["url"], timeout=10).status_code == 404


def test_adn_file_calls_as_adnpy_makes_them(file_backend, alice, token_for):
    """ADNpy (PyPI's adnpy 0.3.8) is Python 2 only and does not import on 3.11, so its calls
    are made here as it makes them: requests, multipart ``content`` plus the metadata fields,
    a post with a ``+net.app.core.file`` oEmbed, then the delete."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token_for(alice)}"
    with web_server(port, PUBLIC_URL=base, **file_backend.env):
        root = f"{base}/stream/0"
        made = session.post(
            f"{root}/files",
            files={"content": ("photo.jpg", png(300, 200), "image/jpeg")},
            data={"type": "com.example.adnpy"},
            timeout=30,
        ).json()
        assert made["meta"]["code"] == 200
        file = made["data"]
        assert file["mime_type"] == "image/png"  # what the bytes are, not what was claimed
        # A large file of anything else is taken as gunicorn receives it (readinto, straight
        # from the socket): stored byte for byte, its digest that of the bytes sent.
        data = os.urandom(3 * CHUNK + 777)
        big = session.post(
            f"{root}/files",
            files={"content": ("big.bin", data, "application/octet-stream")},
            data={"type": "com.example.adnpy"},
            timeout=60,
        ).json()["data"]
        assert big["sha1"] == hashlib.sha1(data).hexdigest() and big["size"] == len(data)
        assert requests.get(big["url"], timeout=30).content == data
        ref = {"file_id": file["id"], "file_token": file["file_token"], "format": "oembed"}
        post = session.post(
            f"{root}/posts",
            json={
                "text": "from ADN",
                "annotations": [
                    {"type": "net.app.core.oembed", "value": {"+net.app.core.file": ref}}
                ],
            },
            timeout=30,
        ).json()["data"]
        read = session.get(f"{root}/posts/{post['id']}?include_annotations=1", timeout=30).json()
        url = read["data"]["annotations"][0]["value"]["url"]
        assert requests.get(url, timeout=10).status_code == 200  # signed: no token needed
        avatar = session.post(
            f"{root}/users/me/avatar",
            files={"avatar": ("me.png", png(128, 96), "image/png")},
            timeout=30,
        ).json()["data"]["avatar_image"]
        assert (avatar["width"], avatar["height"]) == (128, 96) and not avatar["is_default"]
        assert (
            session.delete(f"{root}/files/{file['id']}", timeout=30).json()["meta"]["code"] == 200
        )
        assert session.get(f"{root}/files/{file['id']}", timeout=30).status_code == 404
        assert requests.get(url, timeout=10).status_code == 404


def test_a_worker_makes_the_thumbnails_and_survives_a_bomb(file_backend, alice, token_for):
    token = token_for(alice)
    with celery_worker(**file_backend.env) as worker:
        api = Api()
        image = SimpleUploadedFile("big.png", png(1600, 1200), content_type="image/png")
        made = api.call(
            "POST", "/stream/0/files", token, {"content": image, "type": "com.x"}, as_json=False
        )
        assert made.status_code == 200 and made.json()["data"]["derived_files"] == {}
        file_id = int(made.json()["data"]["id"])
        wait_for(lambda: File.objects.get(pk=file_id).derived, 60, "the thumbnails")
        thumbs = File.objects.get(pk=file_id).derived
        assert (thumbs["image_thumb_960r"]["width"], thumbs["image_thumb_960r"]["height"]) == (
            640,
            480,
        )

        # A bomb that reached the store by another way than the API (which refuses it): the
        # worker records no thumbnails, and goes on working.
        planted = File.objects.create(
            user=alice, type="com.x", kind="image", width=20000, height=20000,
            complete=True, storage_key=f"files/{alice.pk}/planted-bomb",
        )  # fmt: skip
        store.save(planted.storage_key, bomb())
        derivation = Derivation.objects.create(file=planted)
        assert enqueue_derivation(derivation.pk)
        wait_for(
            lambda: Derivation.objects.get(pk=derivation.pk).completed_at is not None,
            60,
            "the bomb's derivation to finish",
        )
        assert File.objects.get(pk=planted.pk).derived == {}
        assert worker.process.poll() is None, worker.output()
        again = SimpleUploadedFile("after.png", png(300, 300), content_type="image/png")
        after = api.call(
            "POST", "/stream/0/files", token, {"content": again, "type": "com.x"}, as_json=False
        ).json()["data"]["id"]
        wait_for(lambda: File.objects.get(pk=after).derived, 60, "thumbnails after the bomb")
