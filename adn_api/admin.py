"""DOT's Application admin, with App.net's per-app profile (link, password grant secret) inline."""

from django.contrib import admin
from django.db import models
from oauth2_provider.models import get_application_admin_class, get_application_model

from .models import ClientProfile

Application = get_application_model()


class ClientProfileInline(admin.StackedInline):
    model = ClientProfile
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    can_delete = False
    fields = ("link", "password_grant_secret")
    extra = 1
    max_num = 1


class ApplicationWithProfileAdmin(get_application_admin_class()):
    inlines = [*get_application_admin_class().inlines, ClientProfileInline]


if admin.site.is_registered(Application):
    admin.site.unregister(Application)
admin.site.register(Application, ApplicationWithProfileAdmin)
