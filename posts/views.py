"""ADN post endpoints: thin views over posts.services."""

from __future__ import annotations

from contextlib import suppress

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest, Conflict, NotFound
from adn_api.pagination import IdPagination
from adn_api.params import flag
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from users.services import graph
from users.services.lookup import get_user

from .models import Post, Star
from .serializers import NewPost, PostOptions, PostPage, rendering_queryset
from .services import posting, reports, stars
from .services.lookup import get_post, parse_post_ids
from .services.sight import get_visible_post
from .services.visibility import post_list_filter


class PostsApiView(ApiView):
    """Renders posts in ADN's shape with the request's general parameters."""

    def posts_data(self, posts: list[Post]) -> list[dict]:
        page = PostPage(list(posts), self.viewer, PostOptions.from_request(self.request))
        return [page.adn(post) for post in page.posts]

    def post_data(self, post_id: int) -> dict:
        """Render a post freshly read (counters and flags as they now are)."""
        rendered = self.posts_data(rendering_queryset().filter(pk=post_id))
        if not rendered:
            # Gone since the action committed: a repost whose original was deleted meanwhile.
            raise NotFound(f"Post {post_id} no longer exists.")
        return rendered[0]

    def source(self):
        return self.request.auth.application if self.request.auth is not None else None


class PostCollectionView(PostsApiView):
    access = {"GET": PUBLIC, "POST": user_token("write_post")}

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is None:
            raise BadRequest("ids is required: a comma-separated list of post ids.")
        wanted = parse_post_ids(ids)
        found = rendering_queryset().filter(
            post_list_filter(request, self.viewer), pk__in=wanted, user__is_active=True
        )
        found = {p.pk: p for p in found}
        return enveloped(self.posts_data([found[pk] for pk in wanted if pk in found]))

    def post(self, request: Request):
        new = NewPost.from_request(request)
        post = posting.create_post(
            self.viewer,
            text=new.text,
            reply_to=new.reply_to,
            machine_only=new.machine_only,
            annotations=new.annotations,
            links=new.links,
            parse_links=new.parse_links,
            parse_markdown_links=new.parse_markdown_links,
            source=self.source(),
        )
        return enveloped(self.post_data(post.pk))


class PostView(PostsApiView):
    access = {"GET": PUBLIC, "DELETE": user_token("write_post")}

    def get(self, request: Request, post_id: str):
        post = get_visible_post(post_id, self.viewer)
        if post.is_deleted and not flag(request, "include_deleted", True):
            raise NotFound(f"Post {post.pk} has been deleted.")
        return enveloped(self.post_data(post.pk))

    def delete(self, request: Request, post_id: str):
        post = posting.delete_post(self.viewer, post_id)
        return enveloped(self.post_data(post.pk))


class RepliesView(PostsApiView):
    """The thread the post belongs to, newest first."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        post = get_post(post_id).original  # a repost's replies are its original's
        thread = Post.objects.filter(
            post_list_filter(request, self.viewer),
            thread_id=post.thread_id,
            repost_of__isnull=True,
            user__is_active=True,
        )
        pagination = IdPagination(request)
        page = pagination.paginate(rendering_queryset(thread))
        return enveloped(self.posts_data(page), pagination.meta())


class StarView(PostsApiView):
    access = {"POST": user_token("write_post"), "DELETE": user_token("write_post")}

    def post(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.star(self.viewer, get_post(post_id)).pk))

    def delete(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.unstar(self.viewer, get_post(post_id)).pk))


class StarrersView(PostsApiView):
    """Users who starred a post, newest star first."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        post = get_post(post_id).original
        return self.users_page(Star.objects.filter(post=post, user__is_active=True))


class UserStarsView(PostsApiView):
    """Posts a user starred, newest star first (paginated by the star)."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, user_id: str):
        user = get_user(user_id, self.viewer)
        pagination = IdPagination(request)
        starred = Star.objects.filter(
            post_list_filter(request, self.viewer, prefix="post__"),
            user=user,
            post__user__is_active=True,
        )
        stars_page = pagination.paginate(starred.only("id", "post_id"))
        posts = rendering_queryset().in_bulk([s.post_id for s in stars_page])
        page = []
        for star in stars_page:
            post = posts[star.post_id]
            post.pagination_id = star.pagination_id
            page.append(post)
        return enveloped(self.posts_data(page), pagination.meta())


class ReportView(PostsApiView):
    """Report a post as spam: stored for the admins and, as App.net did, the author is muted.
    A repost is reported as its original (it has no content of its own)."""

    access = {"POST": user_token()}

    def post(self, request: Request, post_id: str):
        post = get_post(post_id).original
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        with suppress(Conflict):  # App.net answered a repeated report like the first one
            reports.report_post(self.viewer, post, reason)
        if post.user_id != self.viewer.pk:
            graph.mute(self.viewer, post.user)
        return enveloped(self.post_data(post.pk))
