"""Two runs of the suite on one machine keep apart: each run's names on the shared PostgreSQL and
Redis carry its id, and clearing the cache between tests touches only this run's keys."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

from tests.conftest import clear_run_cache
from tests.processes import ROOT, service_env
from tests.settings import RUN_ID

NAMES = """
from django.conf import settings
print(settings.CACHES["default"].get("KEY_PREFIX", ""))
print(settings.REPOST_DEDUPE_KEY_PREFIX)
print(settings.CELERY_TASK_DEFAULT_QUEUE)
print(settings.DATABASES["default"].get("TEST", {}).get("NAME", ""))
"""


def names_in_a_new_process(**env: str) -> list[str]:
    """This run's names as a fresh pytest process would make them (no run id inherited)."""
    clean = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{NAMES}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


RUN_VARIABLES = {
    "ADN_TEST_RUN_ID",
    "CACHE_KEY_PREFIX",
    "REPOST_DEDUPE_KEY_PREFIX",
    "CELERY_QUEUE",
    "TEST_DATABASE_NAME",
}


def test_the_runs_names_carry_its_id(db):
    assert os.environ["ADN_TEST_RUN_ID"] == RUN_ID  # inherited by what the tests start
    assert RUN_ID in settings.CACHES["default"]["KEY_PREFIX"]
    assert RUN_ID in settings.REPOST_DEDUPE_KEY_PREFIX
    assert RUN_ID in settings.CELERY_TASK_DEFAULT_QUEUE
    if connection.vendor == "postgresql":
        assert connection.settings_dict["NAME"].endswith(RUN_ID)  # the test database in use


def test_two_processes_get_different_names():
    first, second = names_in_a_new_process(), names_in_a_new_process()
    assert len(first) == len(second) == 4
    for one, other in zip(first, second, strict=True):
        assert one != other
    assert not set(first) & set(names_in_a_new_process())


def test_the_environment_names_the_run():
    names = names_in_a_new_process(
        ADN_TEST_RUN_ID="given", CELERY_QUEUE="q-given", CACHE_KEY_PREFIX="c-given"
    )
    cache_prefix, dedupe_prefix, queue, _database = names
    assert (cache_prefix, queue) == ("c-given", "q-given")
    assert "given" in dedupe_prefix


def test_started_processes_share_the_runs_names():
    env = service_env()
    assert env["ADN_TEST_RUN_ID"] == RUN_ID
    assert env["CELERY_QUEUE"] == settings.CELERY_TASK_DEFAULT_QUEUE
    assert env["CACHE_KEY_PREFIX"] == settings.CACHES["default"]["KEY_PREFIX"]
    assert env["REPOST_DEDUPE_KEY_PREFIX"] == settings.REPOST_DEDUPE_KEY_PREFIX


def test_clearing_the_cache_leaves_other_keys_alone():
    backend = caches["default"]
    if not settings.REDIS_URL:
        pytest.skip("the cache is in-process")
    client = backend._cache.get_client(write=True)
    others = ["someone-else:1:throttle", "shown:1:2", "adntest_other:1:x"]
    for key in others:
        client.set(key, "theirs", ex=60)
    dedupe_key = f"{settings.REPOST_DEDUPE_KEY_PREFIX}shown:1:2"
    client.set(dedupe_key, "ours", ex=60)
    cache.set("mine", "ours", 60)
    try:
        clear_run_cache()
        assert cache.get("mine") is None
        assert client.get(dedupe_key) is None
        assert [client.get(key) for key in others] == [b"theirs"] * len(others)
    finally:
        client.delete(*others, dedupe_key)
