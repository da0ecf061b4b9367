"""The base API view and the endpoints that belong to the platform rather than an app."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import QuerySet
from rest_framework.response import Response
from rest_framework.views import APIView

from users.serializers import user_to_adn
from users.services.viewer import ViewerContext

from .envelope import enveloped
from .errors import NotFound
from .pagination import IdPagination
from .params import flag
from .permissions import ANY_TOKEN, PUBLIC


class ApiView(APIView):
    """Every ADN endpoint: ``access`` declares the token and scope each method needs."""

    access: dict = {}

    @property
    def viewer(self):
        return self.request.user

    def users_data(self, users: Iterable) -> list[dict]:
        users = list(users)
        context = ViewerContext.load(self.viewer, (u.pk for u in users))
        include_html = flag(self.request, "include_html", True)
        return [user_to_adn(u, context, include_html=include_html) for u in users]

    def user_data(self, user) -> dict:
        return self.users_data([user])[0]

    def users_page(self, rows: QuerySet, user_field: str = "user") -> Response:
        """Users reached through relation rows (follows, stars, reposts), newest row first,
        paginated by the row's id."""
        pagination = IdPagination(self.request)
        users = []
        for row in pagination.paginate(rows.select_related(user_field)):
            user = getattr(row, user_field)
            user.pagination_id = row.pagination_id
            users.append(user)
        return enveloped(self.users_data(users), pagination.meta())


def config_object() -> dict:
    limits = {"annotation_max_bytes": settings.ANNOTATION_MAX_BYTES}
    return {
        "text": {"uri_template_length": {"post_id": 9, "message_id": 12}},
        "user": {**limits, "text_max_length": settings.USER_DESCRIPTION_MAX_LENGTH},
        "file": dict(limits),
        "post": {**limits, "text_max_length": settings.POST_TEXT_MAX_LENGTH},
        "message": {**limits, "text_max_length": 2048},
        "channel": dict(limits),
    }


class ConfigView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request):
        return enveloped(config_object())


def token_to_adn(token, render_user: Callable[[object], dict] | None = None) -> dict:
    """App.net's token object: the app, the scopes and, for a user token, the user (rendered by
    ``render_user``, e.g. a view's ``user_data``; left out without one)."""
    app = token.application
    profile = getattr(app, "profile", None) if app is not None else None
    data = {
        "client_id": app.client_id if app else None,
        "app": {
            "client_id": app.client_id if app else None,
            "name": app.name if app else "",
            "link": profile.link if profile else "",
        },
        "scopes": sorted(set(token.scope.split())),
    }
    if token.user is not None:
        data["limits"] = {"following": 40000, "max_file_size": 10_000_000}
        data["storage"] = {"available": 0, "used": 0}
        if render_user is not None:
            data["user"] = render_user(token.user)
    return data


class TokenView(ApiView):
    access = {"GET": ANY_TOKEN, "DELETE": ANY_TOKEN}

    def get(self, request):
        return enveloped(token_to_adn(request.auth, self.user_data))

    def delete(self, request):
        data = token_to_adn(request.auth, self.user_data)
        request.auth.revoke()
        return enveloped(data)


class UnknownRouteView(APIView):
    """Any path under an API prefix that no route matches: an enveloped 404, never HTML."""

    def initial(self, request, *args, **kwargs):
        raise NotFound(f"There is no API endpoint at {request.path}.")
