from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages (see the package docstring)."""

    name = "web"
    default_auto_field = "django.db.models.BigAutoField"
