"""DOT's Application admin, with App.net's per-app profile (link, password grant secret) inline."""

from django.contrib import admin, messages
from django.db import models
from oauth2_provider.models import (
    get_access_token_model,
    get_application_admin_class,
    get_application_model,
    revoke_access_token,
)

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
    actions = ("revoke_all_tokens",)

    @admin.action(description="Revoke every token of the selected apps", permissions=["change"])
    def revoke_all_tokens(self, request, queryset) -> None:
        # DOT's own revoke path (its token admin's "Revoke selected access tokens" uses it too):
        # a bound refresh token is revoked with its access token.
        tokens = get_access_token_model().objects.filter(application__in=queryset)
        revoked = 0
        for token in list(tokens):
            revoke_access_token(token)
            revoked += 1
        for app in queryset:
            self.log_change(request, app, "Revoked every token")
        self.message_user(request, f"Revoked {revoked} token(s).", messages.SUCCESS)


if admin.site.is_registered(Application):
    admin.site.unregister(Application)
admin.site.register(Application, ApplicationWithProfileAdmin)
