"""App.net's endpoints for an app about its own users, called with an app token:
``apps/me/tokens``, ``apps/me/tokens/user_ids``, ``users/muted/ids`` and ``users/blocked/ids``.

An app sees only users who have authorized it (hold an unexpired token of it); any other id
asked for is left out of the answer, as an unknown one would be.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.request import Request

from core.errors import invalid
from core.inputs import parse_id
from users.services.lists import relation_ids
from users.services.lookup import MAX_IDS

from .envelope import enveloped
from .oauth.tokens import AccessToken
from .permissions import APP_TOKEN
from .serializers import token_to_adn
from .views import ApiView


def user_tokens(app) -> QuerySet:
    """The app's live user tokens, newest first."""
    live = AccessToken.objects.filter(application=app, user__isnull=False)
    return live.filter(expires__gt=timezone.now()).order_by("-id")


class AppTokensView(ApiView):
    access = {"GET": APP_TOKEN}
    ids_only = False

    def get(self, request: Request):
        tokens = list(user_tokens(request.auth.application).select_related("user"))
        if self.ids_only:
            return enveloped(list(dict.fromkeys(str(t.user_id) for t in tokens)))
        rendered = self.users_data([t.user for t in tokens])
        users = dict(zip((t.user_id for t in tokens), rendered, strict=True))
        return enveloped([token_to_adn(t, lambda user: users[user.pk]) for t in tokens])


class RelationIdsView(ApiView):
    access = {"GET": APP_TOKEN}
    relation = "muted"

    def get(self, request: Request):
        raw = request.query_params.get("ids", "")
        parts = [part for part in raw.split(",") if part.strip()]
        if not parts:
            raise invalid("ids is required: a comma-separated list of user ids.")
        if len(parts) > MAX_IDS:
            raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
        asked = list(dict.fromkeys(parse_id(part, "ids") for part in parts))
        authorized = set(
            user_tokens(request.auth.application)
            .filter(user_id__in=asked)
            .values_list("user_id", flat=True)
        )
        return enveloped(relation_ids([pk for pk in asked if pk in authorized], self.relation))
