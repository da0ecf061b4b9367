from django.apps import AppConfig


class StreamsConfig(AppConfig):
    name = "streams"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
