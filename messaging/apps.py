from django.apps import AppConfig


class MessagingConfig(AppConfig):
    # Not "channels": that name belongs to Django Channels, which a later issue brings in.
    name = "messaging"
