"""ADN user endpoints: thin views over users.services."""

from __future__ import annotations

from django.db.models import Q
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest, Forbidden
from adn_api.pagination import IdPagination
from adn_api.permissions import PUBLIC, user_token
from adn_api.text import storable_text
from adn_api.views import ApiView

from .models import Block, Follow, Mute, User
from .serializers import ProfileUpdateSerializer
from .services import graph, profile
from .services.lookup import get_user, get_users


class UserView(ApiView):
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
        serializer = ProfileUpdateSerializer(data=request.data, partial=partial)
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
        query = request.query_params.get("q", "").strip().lstrip("@")
        if not query:
            raise BadRequest("q is required: the text to search usernames and names for.")
        if not storable_text(query):  # PostgreSQL cannot compare with a NUL: a 500 otherwise
            raise BadRequest("q must not contain NUL characters or lone surrogates.")
        users = User.objects.filter(
            Q(username__istartswith=query) | Q(name__icontains=query), is_active=True
        )
        pagination = IdPagination(request)
        return enveloped(self.users_data(pagination.paginate(users)), pagination.meta())


class RelationView(ApiView):
    """POST creates the relation to the user in the URL, DELETE removes it; both return them."""

    create = staticmethod(graph.follow)
    remove = staticmethod(graph.unfollow)
    access = {"POST": user_token("follow"), "DELETE": user_token("follow")}

    def post(self, request: Request, user_id: str):
        target = get_user(user_id, self.viewer)
        self.create(self.viewer, target)
        target.refresh_from_db()
        return enveloped(self.user_data(target))

    def delete(self, request: Request, user_id: str):
        target = get_user(user_id, self.viewer)
        self.remove(self.viewer, target)
        target.refresh_from_db()
        return enveloped(self.user_data(target))


class MuteView(RelationView):
    create = staticmethod(graph.mute)
    remove = staticmethod(graph.unmute)


class BlockView(RelationView):
    create = staticmethod(graph.block)
    remove = staticmethod(graph.unblock)


class RelatedUsersView(ApiView):
    """Users on one side of a relation table, newest relation first, paginated by its row id.

    ``own_only`` lists (muted, blocked) are private: only the user themself may read them.
    """

    model = Follow
    subject_field = "followee"  # the user in the URL
    listed_field = "follower"  # the users listed
    own_only = False
    access = {"GET": PUBLIC}

    def rows(self, user_id: str):
        subject = get_user(user_id, self.viewer)
        if self.own_only and (self.viewer is None or subject.pk != self.viewer.pk):
            raise Forbidden("Only the user themself can list these users.")
        return self.model.objects.filter(
            **{self.subject_field: subject, f"{self.listed_field}__is_active": True}
        )

    def get(self, request: Request, user_id: str):
        return self.users_page(self.rows(user_id), self.listed_field)


class FollowingView(RelatedUsersView):
    subject_field, listed_field = "follower", "followee"


class MutedView(RelatedUsersView):
    model, subject_field, listed_field, own_only = Mute, "muter", "muted", True
    access = {"GET": user_token()}


class BlockedView(RelatedUsersView):
    model, subject_field, listed_field, own_only = Block, "blocker", "blocked", True
    access = {"GET": user_token()}


class RelatedIdsView(RelatedUsersView):
    """The ``/ids`` forms: every id, as strings, no pagination (as App.net did)."""

    def get(self, request: Request, user_id: str):
        ids = self.rows(user_id).order_by("-id").values_list(f"{self.listed_field}_id", flat=True)
        return enveloped([str(i) for i in ids])


class FollowerIdsView(RelatedIdsView):
    pass


class FollowingIdsView(RelatedIdsView):
    subject_field, listed_field = "follower", "followee"
