"""User endpoints (App.net's, and pnut's where they are the same): thin views over
users.services."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest, Forbidden
from adn_api.pagination import page_meta, read_cursor
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from core.paging import paginate

from .serializers import ProfileUpdateSerializer
from .services import graph, profile
from .services.lists import relation_rows, search_users
from .services.lookup import get_user, get_users

OWN = {"GET": user_token()}  # lists only the user themself reads (muted, blocked)


def adn_profile_body(data, partial: bool):
    """App.net's ``users/me`` body is the serializer's own fields."""
    return data


class UserView(ApiView):
    """``GET users/{id}``; ``PUT``/``PATCH users/me`` (``profile_body`` reads the dialect's
    body into App.net's fields: pnut routes it with its own)."""

    profile_body: Callable = staticmethod(adn_profile_body)
    access = {
        "GET": PUBLIC,
        "PUT": user_token("update_profile"),
        "PATCH": user_token("update_profile"),
    }

    def get(self, request: Request, user_id: str):
        return enveloped(self.user_data(get_user(user_id, self.viewer)))

    def put(self, request: Request, user_id: str):
        return self._update(request, user_id, partial=False)

    def patch(self, request: Request, user_id: str):
        return self._update(request, user_id, partial=True)

    def _update(self, request: Request, user_id: str, partial: bool):
        if get_user(user_id, self.viewer).pk != self.viewer.pk:
            raise Forbidden("You can only update your own profile (users/me).")
        body = self.profile_body(request.data, partial)
        serializer = ProfileUpdateSerializer(data=body, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = profile.update_profile(self.viewer, serializer.validated_data, replace=not partial)
        return enveloped(self.user_data(user))


class UserListView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is None:
            raise BadRequest("ids is required: a comma-separated list of user ids or @names.")
        return enveloped(self.users_data(get_users(ids, self.viewer)))


class UserSearchView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request: Request):
        users = search_users(self.viewer, request.query_params.get("q", ""))
        result = paginate(users, read_cursor(request))
        return enveloped(self.users_data(result.items), page_meta(result.items, result.more))


class RelationView(ApiView):
    """Follow, mute or block (routed with ``create``/``remove``) the user in the URL: App.net
    POSTs, pnut PUTs (``http_method_names`` in its route); DELETE undoes it. Both answer with
    the user as they now are."""

    create: Callable = staticmethod(graph.follow)
    remove: Callable = staticmethod(graph.unfollow)
    access = {method: user_token("follow") for method in ("POST", "PUT", "DELETE")}
    http_method_names = ["post", "delete", "options"]

    def post(self, request: Request, user_id: str):
        return self._change(user_id, self.create)

    put = post

    def delete(self, request: Request, user_id: str):
        return self._change(user_id, self.remove)

    def _change(self, user_id: str, change: Callable):
        target = get_user(user_id, self.viewer)
        change(self.viewer, target)
        target.refresh_from_db()
        return enveloped(self.user_data(target))


class RelatedUsersView(ApiView):
    """One side of a relation (routed with ``relation``: followers, following, muted, blocked),
    newest relation first, paged by its row id; ``ids_only``: every id, as strings, unpaged."""

    relation = "followers"
    ids_only = False
    access = {"GET": PUBLIC}

    def get(self, request: Request, user_id: str):
        rows, listed = relation_rows(self.viewer, get_user(user_id, self.viewer), self.relation)
        if self.ids_only:
            ids = rows.order_by("-id").values_list(f"{listed}_id", flat=True)
            return enveloped([str(i) for i in ids])
        return self.users_page(rows, listed)
