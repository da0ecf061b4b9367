"""django-oauth-toolkit's models this server does not use, kept out of the admin: grants are
short-lived authorization codes spent within seconds, and ID tokens belong to OpenID Connect,
which is not enabled. Applications, access and refresh tokens stay (adn_api/admin.py)."""

from django.contrib import admin
from oauth2_provider.models import get_grant_model, get_id_token_model

for model in (get_grant_model(), get_id_token_model()):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
