"""Test settings: the real services on this machine (PostgreSQL, Redis), unless the environment
names others.

Every run keeps to names of its own on those shared services, so two runs on one machine (or a
developer's own data in the same Redis databases) do not meet: the test database, the cache's
key prefix, the repost dedupe's key prefix and the Celery queue all carry the run's id. Each
comes from the environment when set there; the defaults are put back into the environment, so
the workers and web servers the tests start (tests/processes.py) use the same names. The run
deletes its own keys and queue when it ends (tests/conftest.py); pytest-django drops its
database.
"""

import os
import secrets
import tempfile
from pathlib import Path

# The run's id: made once, by the pytest process, and inherited by the processes it starts.
RUN_ID = os.environ.setdefault("ADN_TEST_RUN_ID", f"{os.getpid()}_{secrets.token_hex(3)}")
RUN_NAME = f"adntest_{RUN_ID}"

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/adn_api")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
# The broker gets its own database: tests clear the cache's keys between tests.
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("CACHE_KEY_PREFIX", RUN_NAME)
os.environ.setdefault("REPOST_DEDUPE_KEY_PREFIX", f"{RUN_NAME}:")
os.environ.setdefault("CELERY_QUEUE", RUN_NAME)

from adn_api.settings import *  # noqa: E402,F403
from adn_api.settings import DATABASES, file_storage  # noqa: E402

# The database pytest-django creates, and drops at the end: test_<name>_<run id>.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TEST_DATABASE_NAME", f"test_{DATABASES['default']['NAME']}_{RUN_ID}"
    )

# Uploaded files of tests that do not choose a store (tests/file_backends.py does) go to a
# directory of the run's own, never the checkout's media/.
MEDIA_ROOT = Path(os.environ.setdefault("MEDIA_ROOT", f"{tempfile.gettempdir()}/{RUN_NAME}-media"))
STORAGES = {**STORAGES, "files": file_storage(FILE_STORAGE, MEDIA_ROOT)}  # noqa: F405

# Tests make hundreds of users: the slow default hasher would dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Most tests run tasks in-process; the fan-out tests start a real worker (tests/worker.py),
# which runs with TEST_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
