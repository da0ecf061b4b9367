from django.apps import AppConfig


class PnutConfig(AppConfig):
    name = "pnut"
    verbose_name = "pnut.io dialect"
