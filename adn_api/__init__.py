"""The project package: settings, URLs, the Celery app and the API plumbing every dialect shares
(envelope, errors, pagination, authentication, scopes, throttling, OAuth 2 endpoints)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
