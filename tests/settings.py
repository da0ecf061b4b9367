"""Test settings: the real services on this machine (PostgreSQL, Redis), unless the environment
names others."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/adn_api")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")

from adn_api.settings import *  # noqa: E402,F403

# Tests make hundreds of users: the slow default hasher would dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
