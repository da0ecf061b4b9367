"""App.net's repost endpoints: ``POST/DELETE posts/{id}/repost`` and ``posts/{id}/reposters``."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from posts.models import Post
from posts.services.lookup import get_post
from users.models import visible_users

from . import services


class RepostView(ApiView):
    access = {"POST": user_token("write_post"), "DELETE": user_token("write_post")}

    def post(self, request: Request, post_id: str):
        """Returns the repost (with ``repost_of``), new or existing."""
        repost, _created = services.repost(self.viewer, get_post(post_id), source=self.source())
        return enveloped(self.post_data(repost.pk))

    def delete(self, request: Request, post_id: str):
        """Returns the original, now with ``you_reposted: false``."""
        original = services.unrepost(self.viewer, get_post(post_id))
        return enveloped(self.post_data(original.pk))


class RepostersView(ApiView):
    """Users who reposted a post, newest repost first."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        original = get_post(post_id, self.viewer).original
        reposts = Post.objects.filter(visible_users(self.viewer, "user__"), repost_of=original)
        return self.users_page(reposts)
