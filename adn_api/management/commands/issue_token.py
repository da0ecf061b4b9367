"""``manage.py issue_token USERNAME --app CLIENT_ID --scopes "basic stream"`` or
``manage.py issue_token --app CLIENT_ID --app-token``: prints only the token, for scripts."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from oauth2_provider.models import get_application_model

from adn_api.oauth.tokens import issue_token
from users.models import User

Application = get_application_model()


def parse_scopes(text: str) -> list[str]:
    """Scopes separated by spaces or commas, checked against the server's scope list; "basic"
    is always included, as for tokens from the OAuth flows."""
    known = settings.OAUTH2_PROVIDER["SCOPES"]
    scopes = [s for s in text.replace(",", " ").split() if s]
    unknown = sorted(set(scopes) - set(known))
    if unknown:
        raise CommandError(
            f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(known)}."
        )
    return sorted(set(scopes) | {"basic"})


class Command(BaseCommand):
    help = "Issue an access token for a user (or an app token) without the OAuth flow."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?", help="Whose token; omit with --app-token.")
        parser.add_argument("--app", required=True, dest="client_id", help="The app's client_id.")
        parser.add_argument("--scopes", default="basic", help='e.g. "basic stream write_post".')
        parser.add_argument(
            "--app-token", action="store_true", help="A token for the app itself (no user)."
        )

    def handle(self, *args, username: str | None, client_id: str, **options) -> None:
        app = Application.objects.filter(client_id=client_id).first()
        if app is None:
            raise CommandError(f"No app has the client_id {client_id!r}.")
        scopes = parse_scopes(options["scopes"])
        if options["app_token"]:
            if username:
                raise CommandError("Give either a USERNAME or --app-token, not both.")
            # Scopes do not apply to app tokens (they are checked above all the same).
            self.stdout.write(issue_token(None, app, []))
            return
        if not username:
            raise CommandError("Give the USERNAME the token is for, or --app-token.")
        user = User.objects.filter(username__iexact=username.lstrip("@")).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_active:
            raise CommandError(f"@{user.username} is deactivated.")
        self.stdout.write(issue_token(user, app, scopes))
