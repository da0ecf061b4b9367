"""ADN post streams: personal, unified, global, a user's posts and mentions, a hashtag; markers."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.pagination import IdPagination
from adn_api.params import flag
from adn_api.permissions import ANY_TOKEN, PUBLIC, user_token
from posts.models import Post
from posts.serializers import rendering_queryset
from posts.views import PostsApiView
from users.models import User
from users.services.lookup import get_user

from .filters import StreamFilters
from .services import queries
from .services.markers import get_marker, marker_data, update_markers


class PostStreamView(PostsApiView):
    """A stream of posts paged by post id. Subclasses say which posts (``posts``), which marker
    they keep and the defaults of their filters."""

    marker_name: str | None = None
    muted_default = False
    directed_default = True

    def posts(self, **kwargs) -> QuerySet:
        raise NotImplementedError

    def get(self, request: Request, **kwargs):
        filters = StreamFilters.from_request(
            request, muted_default=self.muted_default, directed_default=self.directed_default
        )
        self._marker = None
        marker_name = self.marker_for(**kwargs)
        if marker_name:
            self._marker = get_marker(self.viewer, marker_name)
        pagination = IdPagination(request, self.special_id if marker_name else None)
        page = self.page(pagination, filters, **kwargs)
        meta = pagination.meta()
        if marker_name:
            meta["marker"] = marker_data(self._marker, marker_name)
        return enveloped(self.posts_data(page), meta)

    def marker_for(self, **kwargs) -> str | None:
        return self.marker_name if self.viewer is not None else None

    def named_user(self, user_id: str) -> User:
        """The user the URL names; ``me`` is the viewer, loaded with the token already (a
        stream keeps to a fixed number of queries)."""
        if user_id == "me" and self.viewer is not None:
            return self.viewer
        return get_user(user_id, self.viewer)

    def special_id(self, name: str) -> int | None:
        if self._marker is None:
            return None
        return self._marker.last_read_id if name.startswith("last_read") else self._marker.post_id

    def page(self, pagination: IdPagination, filters: StreamFilters, **kwargs) -> list[Post]:
        posts = self.posts(**kwargs).filter(filters.condition(self.viewer))
        return pagination.paginate(rendering_queryset(posts))


class GlobalStreamView(PostStreamView):
    access = {"GET": PUBLIC}
    marker_name = "global"

    def posts(self) -> QuerySet:
        return queries.global_posts()


class UserPostsView(PostStreamView):
    access = {"GET": PUBLIC}
    muted_default = True  # asking for a muted user's posts shows them

    def posts(self, user_id: str) -> QuerySet:
        return queries.user_posts(self.named_user(user_id))


class UserMentionsView(PostStreamView):
    access = {"GET": ANY_TOKEN}

    def marker_for(self, user_id: str) -> str | None:
        return "mentions" if self.viewer is not None and user_id == "me" else None

    def posts(self, user_id: str) -> QuerySet:
        return queries.mention_posts(self.named_user(user_id))


class TagStreamView(PostStreamView):
    access = {"GET": PUBLIC}

    def posts(self, hashtag: str) -> QuerySet:
        return queries.tag_posts(hashtag)


class PersonalStreamView(PostStreamView):
    """The viewer's materialised stream, paged by the stream row's own id."""

    access = {"GET": user_token("stream")}
    marker_name = "my_stream"
    directed_default = False
    with_mentions = False

    def special_id(self, name: str) -> int | None:
        post_id = super().special_id(name)
        return None if post_id is None else queries.item_id_for_post(self.viewer, post_id)

    def page(self, pagination: IdPagination, filters: StreamFilters, **kwargs) -> list[Post]:
        def build(slots):
            items = queries.personal_items(slots.viewer, with_mentions=self.with_mentions)
            return items.filter(filters.condition(slots.viewer, "post__"))

        # Everyone's home timeline, on every refresh: its page query is compiled once per shape.
        key = ("personal", self.with_mentions, filters)
        items = pagination.paginate_compiled(key, build, viewer=self.viewer.pk)
        for item in items:
            item.post.pagination_id = item.pagination_id
        return [item.post for item in items]


class UnifiedStreamView(PersonalStreamView):
    """The personal stream and the viewer's mentions, merged."""

    marker_name = "unified"
    with_mentions = True


class MarkerView(PostsApiView):
    access = {"POST": user_token()}

    def post(self, request: Request):
        data = request.data
        items = data if isinstance(data, list) else [data]
        markers = update_markers(
            self.viewer, items, reset_read_id=flag(request, "reset_read_id", False)
        )
        rendered = [marker_data(m, m.name) for m in markers]
        return enveloped(rendered if isinstance(data, list) else rendered[0])
