"""``manage.py create_app NAME --redirect-uri URI --link URL [--password-flow] [--native]``:
prints the credentials, which are shown only here (the client secret is stored hashed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from oauth2_provider.models import get_application_model

from adn_api.oauth.tokens import create_app

Application = get_application_model()


class Command(BaseCommand):
    help = "Register an OAuth app; prints client_id, client_secret and password_grant_secret."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            dest="redirect_uris",
            help="Where the web flow may send users back; repeat for several.",
        )
        parser.add_argument("--link", default="", help="The app's public web page.")
        parser.add_argument(
            "--password-flow",
            action="store_true",
            help="Approve the app for App.net's password flow (issues a password_grant_secret).",
        )
        parser.add_argument(
            "--native",
            action="store_true",
            help=(
                "A native app (RFC 8252): on the code flow with S256 PKCE its loopback redirect "
                "URI may use any port. Without it, redirect URIs must match exactly."
            ),
        )

    def handle(self, *args, name: str, redirect_uris: list[str], link: str, **options) -> None:
        redirect_uris_text = " ".join(redirect_uris)
        self.check_urls(name, redirect_uris_text, link)
        app, secret = create_app(
            name,
            redirect_uris=redirect_uris_text,
            link=link,
            password_flow=options["password_flow"],
            native=options["native"],
        )
        self.stdout.write(f"client_id: {app.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        grant_secret = app.profile.password_grant_secret
        self.stdout.write(f"password_grant_secret: {grant_secret or '(none: not approved)'}")

    @staticmethod
    def check_urls(name: str, redirect_uris: str, link: str) -> None:
        if link:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError as exc:
                raise CommandError(f"--link {link!r} is not an http(s) URL.") from exc
        # DOT's own checks of redirect URIs (allowed schemes, no fragments...).
        candidate = Application(
            name=name,
            redirect_uris=redirect_uris,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        )
        try:
            candidate.clean()
        except ValidationError as exc:
            raise CommandError("Invalid app: " + " ".join(exc.messages)) from exc
