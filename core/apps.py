from django.apps import AppConfig

from .lookups import register


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Domain vocabulary"

    def ready(self) -> None:
        register()  # field__any=ids
