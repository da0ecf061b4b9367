"""ADN post streams: personal, unified, global, a user's posts and mentions, a hashtag; markers."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.pagination import IdPagination
from adn_api.params import flag
from adn_api.permissions import ANY_TOKEN, PUBLIC, user_token
from posts.models import Post
from posts.serializers import RENDER_RELATIONS, rendering_queryset
from posts.services.posting import fold_tag
from posts.views import PostsApiView
from users.models import User
from users.services.lookup import get_user

from .filters import StreamFilters
from .models import StreamItem
from .services.markers import get_marker, marker_data, update_markers

HASHTAG = re.compile(r"^\w{1,256}$")


class PostStreamView(PostsApiView):
    """A stream of posts paged by post id. Subclasses say which posts (``posts``), which marker
    they keep and the defaults of their filters."""

    marker_name: str | None = None
    muted_default = False
    directed_default = True

    def posts(self, **kwargs) -> QuerySet:
        raise NotImplementedError

    def get(self, request: Request, **kwargs):
        filters = StreamFilters.from_request(request, muted_default=self.muted_default,
                                             directed_default=self.directed_default)
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

    def special_id(self, name: str) -> int | None:
        if self._marker is None:
            return None
        return self._marker.last_read_id if name.startswith("last_read") else self._marker.post_id

    def page(self, pagination: IdPagination, filters: StreamFilters, **kwargs) -> list[Post]:
        posts = self.posts(**kwargs).filter(filters.condition(self.viewer))
        return pagination.paginate(rendering_queryset(posts))


class GlobalStreamView(PostStreamView):
    """Every original post, but not bots' (App.net's rule)."""

    access = {"GET": PUBLIC}
    marker_name = "global"

    def posts(self) -> QuerySet:
        return Post.objects.filter(repost_of__isnull=True).exclude(user__type=User.Type.BOT)


class UserPostsView(PostStreamView):
    access = {"GET": PUBLIC}
    muted_default = True  # asking for a muted user's posts shows them

    def posts(self, user_id: str) -> QuerySet:
        return Post.objects.filter(user=get_user(user_id, self.viewer))


class UserMentionsView(PostStreamView):
    access = {"GET": ANY_TOKEN}

    def marker_for(self, user_id: str) -> str | None:
        return "mentions" if self.viewer is not None and user_id == "me" else None

    def posts(self, user_id: str) -> QuerySet:
        user = get_user(user_id, self.viewer)
        return Post.objects.filter(mention_rows__user=user, repost_of__isnull=True)


class TagStreamView(PostStreamView):
    access = {"GET": PUBLIC}

    def posts(self, hashtag: str) -> QuerySet:
        if not HASHTAG.match(hashtag) or hashtag.isdigit():
            raise BadRequest("A hashtag is letters, digits and underscores, not only digits.")
        return Post.objects.filter(hashtag_rows__name=fold_tag(hashtag),
                                   repost_of__isnull=True)


class PersonalStreamView(PostStreamView):
    """The viewer's materialised stream, paged by the stream row's own id."""

    access = {"GET": user_token("stream")}
    marker_name = "my_stream"
    directed_default = False
    with_mentions = False

    def special_id(self, name: str) -> int | None:
        # Markers hold post ids; this stream pages by its row ids.
        post_id = super().special_id(name)
        if post_id is None:
            return None
        return (StreamItem.objects.filter(owner=self.viewer, post_id=post_id)
                .values_list("id", flat=True).first())

    def page(self, pagination: IdPagination, filters: StreamFilters, **kwargs) -> list[Post]:
        items = StreamItem.objects.filter(owner=self.viewer)
        if not self.with_mentions:
            items = items.filter(is_mention=False)
        items = items.filter(filters.condition(self.viewer, "post__"))
        items = pagination.paginate(
            items.select_related("post", *(f"post__{r}" for r in RENDER_RELATIONS)))
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
        markers = update_markers(self.viewer, items,
                                 reset_read_id=flag(request, "reset_read_id", False))
        rendered = [marker_data(m, m.name) for m in markers]
        return enveloped(rendered if isinstance(data, list) else rendered[0])
