"""django-oauth-toolkit validator with App.net's rules."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ADNOAuth2Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        # App.net apps used every flow with one client id: code, password (with the
        # password_grant_secret checked by the token view) and client credentials.
        return grant_type in {"authorization_code", "password", "client_credentials"}
