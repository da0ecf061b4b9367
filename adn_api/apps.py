from django.apps import AppConfig


class AdnApiConfig(AppConfig):
    name = "adn_api"
    verbose_name = "API and OAuth clients"
