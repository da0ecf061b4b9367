from django.apps import AppConfig


class AdnApiConfig(AppConfig):
    name = "adn_api"
    verbose_name = "API and OAuth clients"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
