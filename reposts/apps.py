from django.apps import AppConfig


class RepostsConfig(AppConfig):
    name = "reposts"
