"""Test settings: the real services on this machine (PostgreSQL, Redis), unless the environment
names others."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/adn_api")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
# The broker gets its own database: tests flush the cache's between tests.
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")

from adn_api.settings import *  # noqa: E402,F403

# Tests make hundreds of users: the slow default hasher would dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Most tests run tasks in-process; the fan-out tests start a real worker (tests/worker.py),
# which runs with TEST_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
