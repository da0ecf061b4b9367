"""App.net's OAuth 2 endpoints on top of django-oauth-toolkit, and the account pages they need.

- ``/oauth/authenticate`` and ``/oauth/authorize``: DOT's authorization view (login, then
  consent); ``authenticate`` skips the consent page for scopes the user already granted.
- ``/oauth/access_token``: DOT's token view, answering with App.net's token object and keeping
  every failure an OAuth 2 JSON error.
- ``/login/``, ``/logout/``, ``/signup/``: small server-rendered pages for the web flow.
"""

from __future__ import annotations

import json
import logging

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import SuspiciousOperation
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView
from oauth2_provider.models import get_application_model
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views import TokenView as DOTTokenView

from users.serializers import user_to_adn
from users.services.signup import inviter_named, sign_up
from users.services.viewer import ViewerContext
from web.routes import is_reserved

from ..authentication import find_access_token
from ..serializers import token_to_adn
from .validators import ADN_GRANT_TYPES, username_for_login

logger = logging.getLogger("adn_api.oauth")
User = get_user_model()


# --- Authorization (web flows) -------------------------------------------------------------


class AuthenticateView(AuthorizationView):
    """Login, then consent, then a redirect with the code (or, client-side flow, the token)."""

    template_name = "oauth/authorize.html"
    approval_prompt = "auto"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # DOT reads approval_prompt from the query string; App.net chose it by endpoint.
        request.GET = request.GET.copy()
        request.GET["approval_prompt"] = self.approval_prompt
        return super().get(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        # The hidden fields can be tampered with: an unknown client gets an error page, not a 500.
        client_id = form.cleaned_data["client_id"]
        if not get_application_model().objects.filter(client_id=client_id).exists():
            context = {"error": {"error": "invalid_client", "description": "Unknown app."}}
            return self.render_to_response(context, status=400)
        return super().form_valid(form)


class AuthorizeView(AuthenticateView):
    """Always shows the consent page, even for scopes already granted."""

    approval_prompt = "force"


# --- Token endpoint --------------------------------------------------------------------------

PASSWORD_FLOW_ERROR_TEXT = {
    "invalid_grant": "The username or password you entered is incorrect.",
    "invalid_client": (
        "This app is not allowed to sign in with a password. Please contact its developer."
    ),
    "invalid_scope": "This app asked for permissions that do not exist.",
    "unauthorized_client": "This app is not allowed to sign in with a password.",
}


def oauth_error(error: str, description: str, status: int = 400, **extra: str) -> JsonResponse:
    return JsonResponse(
        {"error": error, "error_description": description, **extra},
        status=status,
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def render_own_user(user) -> dict:
    # The token's owner seen by themself: no follow/mute/block relation to load.
    return user_to_adn(user, ViewerContext(user))


@method_decorator(csrf_exempt, name="dispatch")
class AccessTokenView(DOTTokenView):
    """``POST /oauth/access_token``: authorization_code, password (App.net's, with
    ``password_grant_secret``), client_credentials and refresh_token grants."""

    def http_method_not_allowed(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = oauth_error("invalid_request", "Use POST with a form-encoded body.", 405)
        response["Allow"] = "POST"
        return response

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            params = request.POST
        except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
            return oauth_error("invalid_request", "The request body could not be read.")
        grant_type = params.get("grant_type", "")
        refusal = self.refuse_early(params, grant_type)
        if refusal is not None:
            return refusal
        try:
            # A failed request leaves nothing behind (e.g. a token saved before the code
            # turned out to be already used by a concurrent exchange).
            with transaction.atomic():
                response = self.authorization_flow_token_response(request)
                if response.status_code != 200:
                    transaction.set_rollback(True)
            body = json.loads(response.content)
        except Exception:
            # This endpoint answers JSON whatever happens; the traceback goes to the log.
            logger.exception("token endpoint failed for grant_type=%s", grant_type)
            return oauth_error("server_error", "The server could not issue a token.", 500)
        if response.status_code != 200:
            return self.adn_error(body, response, grant_type)
        return self.adn_token(body, response)

    def refuse_early(self, params, grant_type: str) -> JsonResponse | None:
        """What App.net refused before looking at credentials."""
        if grant_type not in ADN_GRANT_TYPES:
            return oauth_error(
                "unsupported_grant_type",
                "grant_type must be authorization_code, password or client_credentials, sent "
                "in an application/x-www-form-urlencoded body.",
            )
        if any("\x00" in value for _name, values in params.lists() for value in values):
            return oauth_error("invalid_request", "Parameters must not contain NUL characters.")
        if grant_type == "authorization_code" and not params.get("redirect_uri"):
            return oauth_error(
                "invalid_request",
                "redirect_uri is required: send the one used to obtain the code.",
                error_slug="redirect-uri-required",
            )
        return None

    def adn_error(self, body: dict, response: HttpResponse, grant_type: str) -> JsonResponse:
        error = body.get("error", "invalid_request")
        if error == "invalid_client":
            secret = "password_grant_secret" if grant_type == "password" else "client_secret"
            body.setdefault(
                "error_description", f"Client authentication failed: check client_id and {secret}."
            )
        if grant_type == "password":
            # App.net: clients must show error_text to the user verbatim.
            body.setdefault("error_title", "Authentication failed")
            body["error_text"] = PASSWORD_FLOW_ERROR_TEXT.get(
                error, "Signing in failed: " + body.get("error_description", error)
            )
        if grant_type == "refresh_token" and error == "invalid_grant":
            body.setdefault("error_slug", "invalid-token")
        return self.json_like(body, response)

    def adn_token(self, body: dict, response: HttpResponse) -> JsonResponse:
        token = find_access_token(body["access_token"])
        return self.json_like({**body, "token": token_to_adn(token, render_own_user)}, response)

    @staticmethod
    def json_like(body: dict, response: HttpResponse) -> JsonResponse:
        """``body`` as JSON with DOT's status and headers (no-store, WWW-Authenticate...)."""
        result = JsonResponse(body, status=response.status_code)
        for name, value in response.items():
            if name.lower() not in {"content-type", "content-length"}:
                result[name] = value
        return result


# --- Account pages ---------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    """Django's login form, also taking the email address (as App.net did)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for an email address, not just a 20-character username.
        username = self.fields["username"]
        username.max_length = 254
        username.validators = [
            *(v for v in username.validators if not isinstance(v, MaxLengthValidator)),
            MaxLengthValidator(254),
        ]
        username.widget.attrs["maxlength"] = "254"

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = username_for_login(self.cleaned_data["username"])
        return super().clean()


class SignInView(LoginView):
    template_name = "registration/login.html"
    form_class = SignInForm


class SignOutView(LogoutView):
    """GET asks for confirmation (logging out needs a POST with CSRF); POST logs out."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logged_out.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, "registration/logout.html")


class SignupForm(UserCreationForm):
    """Username (1–20 of [A-Za-z0-9_], unique ignoring case), email, password twice."""

    email = forms.EmailField()

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        username = super().clean_username()
        if username and is_reserved(username):
            # /{username} would never reach the profile: that path is another page's.
            raise forms.ValidationError("This name is taken by a page of the site; pick another.")
        return username

    def clean_email(self) -> str:
        # Email identifies the account at sign-in, so it must name only one.
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class SignupView(FormView):
    template_name = "registration/signup.html"
    form_class = SignupForm

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        allowed = url_has_allowed_host_and_scheme(
            target, {self.request.get_host()}, self.request.is_secure()
        )
        return target if allowed else settings.LOGIN_REDIRECT_URL

    def inviter(self):
        """Who invited this signup: an invite link's ``from`` (the token's ``invite_link``)."""
        return inviter_named(self.request.POST.get("from") or self.request.GET.get("from"))

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "next": self.next_url(),
            "inviter": self.inviter(),
        }

    def form_valid(self, form: SignupForm) -> HttpResponse:
        try:
            user = sign_up(form.save(commit=False), self.inviter())
        except IntegrityError:
            # Another signup took the name between validation and insert.
            form.add_error("username", "A user with that username already exists.")
            return self.form_invalid(form)
        login(self.request, user)
        return redirect(self.next_url())
