"""diaspora's search (``GET search/users``, ``search/posts``, ``search/tags``) over the same
domain functions as App.net's and pnut's: ``users.services.lists.search_users``,
``search.services.search_posts`` (by tag, as diaspora's route searches) and
``search.services.tags_starting``.

``search/users`` takes exactly one of ``name_or_handle`` (a handle ``name@pod``: usernames
starting with its name part) and ``tag`` (users whose profile holds the hashtag), and ``filter``
(repeated, or ``filter[]``):
``contacts``, ``contacts:receiving`` (people the viewer shares with: follows) and
``contacts:sharing`` (people sharing with the viewer: followers), which need a user token;
aspects do not exist here. Users run oldest account first and posts newest first, both paged with
``per_page`` and the ``Link`` header; tags are one list. Whatever is missing, malformed or
unknown is diaspora's 422 "Search request could not be processed".
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.permissions import PUBLIC
from adn_api.views import ApiView
from core.errors import invalid
from posts.options import PostFilters
from search.services import PostSearch, search_posts, tags_starting, text_param
from users.models import Follow, User
from users.services.lists import search_users

from .pagination import DiasporaPagination
from .serializers import DiasporaPage, person

ACTIONS = {"GET": "search"}
SHOWN = PostFilters(include_deleted=False)  # diaspora never shows a deleted post
CONTACT_FILTERS = ("contacts", "contacts:receiving", "contacts:sharing")


def _one_of(request: Request, *names: str) -> tuple[str, str]:
    given = [(name, request.query_params[name]) for name in names if name in request.query_params]
    if len(given) != 1:
        raise invalid(f"Give exactly one of {', '.join(names)}.")
    name, value = given[0]
    value = text_param(value)
    if not value.lstrip("#@"):
        raise invalid(f"{name} must not be empty.")
    return name, value


def _contacts(viewer: User | None, users: QuerySet, filters: list[str]) -> QuerySet:
    for name in filters:
        if name not in CONTACT_FILTERS:
            raise invalid(
                f"Unknown filter {name[:40]!r}: contacts, contacts:receiving or :sharing."
            )
        if viewer is None:
            raise invalid("Filtering by contacts needs a user token.")
        receiving = Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))
        sharing = Follow.objects.filter(followee=viewer, follower=OuterRef("pk"))
        if name == "contacts":
            users = users.filter(Exists(receiving) | Exists(sharing))
        else:
            users = users.filter(Exists(receiving if name.endswith("receiving") else sharing))
    return users


class SearchUsersView(ApiView):
    dialect = DIASPORA
    access = {"GET": PUBLIC}
    actions = ACTIONS

    def get(self, request: Request):
        name, value = _one_of(request, "name_or_handle", "tag")
        if name == "tag":
            query = "#" + value.lstrip("#")
        else:
            # A handle, name@pod, names a username (its start, as App.net's "@name").
            query = "@" + value.lstrip("@").split("@", 1)[0] if "@" in value[1:] else value
        users = search_users(self.viewer, query)
        filters = request.query_params.getlist("filter") + request.query_params.getlist("filter[]")
        users = _contacts(self.viewer, users, filters)
        pagination = DiasporaPagination(request)
        rows = pagination.paginate(users)
        return Response([person(user) for user in rows], headers=pagination.headers())


class SearchPostsView(ApiView):
    dialect = DIASPORA
    access = {"GET": PUBLIC}
    actions = ACTIONS

    def get(self, request: Request):
        _, tag = _one_of(request, "tag")
        search = PostSearch.parse({"hashtags": tag.lstrip("#")})
        posts = search_posts(self.viewer, search, SHOWN).for_rendering()
        pagination = DiasporaPagination(request)
        rows = pagination.paginate(posts, newest_first=True)
        page = DiasporaPage(rows, self.viewer)
        return Response([page.post(post) for post in page.posts], headers=pagination.headers())


class SearchTagsView(ApiView):
    dialect = DIASPORA
    access = {"GET": PUBLIC}
    actions = ACTIONS

    def get(self, request: Request):
        _, query = _one_of(request, "query")
        return Response(tags_starting(self.viewer, query))
