"""The one base view every endpoint of every dialect is, and the platform's own endpoints.

An endpoint is a short class over ``ApiView``: ``access`` says which token and scope each method
needs, ``dialect`` how it speaks (envelope, errors, spelling of posts and users, parameter
names), ``actions`` how a refusal is worded where the dialect words it by action (diaspora).
Endpoints that are the same in two dialects are one class routed twice,
``as_view(dialect=PNUT)``. The helpers below read the general parameters and the cursor and
render pages, so that a method is the domain call and little else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import QuerySet
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.paging import paginate
from posts.models import Post
from posts.options import ReadOptions
from streams.serializers import marker_data
from streams.services.page import Stream, page
from users.models import User

from . import replicas
from .dialects import ADN, Dialect
from .envelope import enveloped
from .errors import NotFound
from .pagination import page_meta, read_cursor
from .permissions import ANY_TOKEN, PUBLIC
from .rendered import cacheable, render_page
from .serializers import config_object, token_to_adn


class ApiView(APIView):
    access: dict = {}
    dialect: Dialect = ADN
    actions: dict[str, str] = {}
    stream_defaults: dict[str, bool] = {}  # the endpoint's own filter defaults

    @property
    def viewer(self):
        return self.request.user

    def get_renderers(self):
        return [self.dialect.renderer()]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authenticated, allowed, throttled
        if request.method in SAFE_METHODS:
            user = request.user  # None when anonymous (UNAUTHENTICATED_USER)
            replicas.read_from_replica(user.pk if user is not None else None)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            user = getattr(request, "_user", None)  # as authenticated, never again
            if user is not None:
                replicas.wrote(user.pk)
        if self.dialect.scopes_header:
            try:
                token = request.auth
            except APIException:  # a bad token, which the response being sent reports
                token = None
            if token is not None:
                # The scopes as granted, the same list as the token object's ``scopes``.
                response["X-OAuth-Scopes"] = ",".join(sorted(set(token.scope.split())))
        return response

    def options_for(self, **defaults: bool) -> ReadOptions:
        """The request's general parameters; ``defaults`` are this endpoint's filter defaults."""
        params = self.request.query_params
        return ReadOptions.parse(params, self.dialect.name, **{**self.stream_defaults, **defaults})

    def posts_data(self, posts: Iterable[Post], options: ReadOptions | None = None) -> list[dict]:
        options = options or self.options_for()
        return self.dialect.render_posts(list(posts), self.viewer, options)

    def post_data(self, post_id: int) -> dict:
        """A post freshly read (counters and flags as they now are), as the viewer sees it."""
        rendered = self.posts_data(Post.objects.for_rendering().filter(pk=post_id))
        if not rendered:
            # Gone since the action committed: a repost whose original was deleted meanwhile.
            raise NotFound(f"Post {post_id} no longer exists.")
        return rendered[0]

    def users_data(self, users: Iterable) -> list[dict]:
        return self.dialect.render_users(list(users), self.viewer, self.options_for())

    def user_data(self, user) -> dict:
        return self.users_data([user])[0]

    def users_page(self, rows: QuerySet, user_field: str = "user") -> Response:
        """Users reached through relation rows (follows, stars, reposts), newest row first,
        paginated by the row's id."""
        result = paginate(rows.select_related(user_field), read_cursor(self.request))
        users = []
        for row in result.items:
            user = getattr(row, user_field)
            user.pagination_id = row.pagination_id
            users.append(user)
        return enveloped(self.users_data(users), page_meta(users, result.more))

    def stream_response(self, stream: Stream, **defaults: bool) -> Response:
        """A page of a post stream (``streams.services.page``) with its meta and marker."""
        options = self.options_for(**defaults)
        whole = not cacheable(self.dialect, options)
        cursor = read_cursor(self.request)
        result = page(self.viewer, stream, options.filters, cursor, whole=whole)
        meta = page_meta(result.entries, result.more)
        if result.marker_name:
            marker = marker_data(result.marker, result.marker_name)
            meta["marker"] = {**marker, "name": self.dialect.marker_name(marker["name"])}
        return enveloped(render_page(self.dialect, result.entries, self.viewer, options), meta)

    def source(self):
        """The app a new post is made with (its ``source``)."""
        return self.request.auth.application if self.request.auth is not None else None


class ConfigView(ApiView):
    access = {"GET": PUBLIC}

    def get(self, request):
        return enveloped(config_object())


class TokenView(ApiView):
    access = {"GET": ANY_TOKEN, "DELETE": ANY_TOKEN}

    def get(self, request):
        return enveloped(token_to_adn(request.auth, self.user_data))

    def delete(self, request):
        data = token_to_adn(request.auth, self.user_data)
        request.auth.revoke()
        return enveloped(data)


class UnknownRouteView(APIView):
    """Any path under an API prefix that no route matches: a 404 in the dialect's shape."""

    dialect: Dialect = ADN

    def get_renderers(self):
        return [self.dialect.renderer()]

    def initial(self, request, *args, **kwargs):
        raise NotFound(f"There is no API endpoint at {request.path}.")


class StatsView(ApiView):
    """pnut's ``sys/stats``: how many people and posts the server holds, counted at most once a
    minute (a count over every post is a scan)."""

    access = {"GET": PUBLIC}

    def get(self, request):
        return enveloped(cache.get_or_set("sys-stats", server_stats, STATS_SECONDS))


STATS_SECONDS = 60


def server_stats() -> dict:
    return {
        "user_count": User.objects.filter(is_active=True).count(),
        "post_count": Post.objects.filter(is_deleted=False, repost_of__isnull=True).count(),
    }
