"""The two file stores the files tests run against: the local disk, and S3 over real HTTP at a
moto server process of the tests' own (the one stand-in: the production store is elsewhere).

``file_backend`` is parametrised over both; it points Django's "files" storage at a fresh
directory or bucket, and carries the environment a web server or worker started by the test
needs to use the same store.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field

import boto3
import pytest
import requests
from django.core.files.storage import storages

from adn_api.settings import file_storage

from .processes import free_port, stop_group, wait_for

S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


@dataclass
class Backend:
    name: str
    env: dict[str, str] = field(default_factory=dict)

    def keys(self) -> list[str]:
        """Every key the store holds (under files/)."""
        store = storages["files"]
        found = []

        def walk(prefix: str) -> None:
            dirs, names = store.listdir(prefix)
            found.extend(f"{prefix}/{n}".lstrip("/") for n in names)
            for d in dirs:
                walk(f"{prefix}/{d}".lstrip("/"))

        with contextlib.suppress(FileNotFoundError):
            walk("files")
        return found


@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server on a free loopback port, for the whole run; stopped at its end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **S3_KEYS},
    )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/moto-api/", timeout=1).status_code < 500
        except requests.ConnectionError:
            return False

    try:
        wait_for(up, 60, "the S3 server to start")
        yield url
    finally:
        stop_group(process)


@pytest.fixture(params=["local", "s3"])
def file_backend(request, settings, tmp_path) -> Backend:
    if request.param == "local":
        env = {"FILE_STORAGE": "local", "MEDIA_ROOT": str(tmp_path / "media")}
    else:
        endpoint = request.getfixturevalue("s3_server")
        bucket = f"files-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_creds()).create_bucket(
            Bucket=bucket
        )
        env = {
            "FILE_STORAGE": "s3",
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_REGION_NAME": REGION,
            **S3_KEYS,
        }
    with _environ(env):
        settings.MEDIA_ROOT = env.get("MEDIA_ROOT", settings.MEDIA_ROOT)
        storage = file_storage(request.param, tmp_path / "media")
        settings.STORAGES = {**settings.STORAGES, "files": storage}
    return Backend(request.param, env)


def _creds() -> dict:
    return {
        "aws_access_key_id": S3_KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    }


@contextlib.contextmanager
def _environ(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
