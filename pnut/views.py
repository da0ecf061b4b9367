"""pnut endpoints: the ADN views and domain functions, rendered in pnut's shape.

Where an ADN view already does what pnut asks (lists, streams, lookups) the pnut view is that
view with ``PnutDialect`` in front, which swaps the renderer and the post/user rendering. Where
pnut's verbs differ (``PUT`` to repost, bookmark or follow) the view calls the domain directly.
"""

from __future__ import annotations

from rest_framework.exceptions import APIException, MethodNotAllowed
from rest_framework.request import Request

from adn_api import views as adn_views
from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.permissions import ANY_TOKEN, user_token
from entities.services import process_post_text
from posts import views as post_views
from posts.services import posting, stars
from posts.services.lookup import get_post
from posts.services.sight import can_see
from reposts import services as reposts
from streams import views as stream_views
from streams.services import queries
from users import views as user_views
from users.services import graph

from .renderers import PnutRenderer
from .serializers import (
    NewPnutPost,
    PnutOptions,
    PnutPostPage,
    body_of,
    nsfw_from_request,
    pnut_entity_options,
    processed_text_to_pnut,
    token_to_pnut,
    users_to_pnut,
)

READ = ["get", "head", "options"]
WRITE = ["put", "delete", "options"]


class PnutDialect:
    """Put in front of an ADN view: pnut's envelope, objects, allowed methods and scope header."""

    renderer_classes = [PnutRenderer]
    http_method_names = READ

    def check_permissions(self, request: Request) -> None:
        # The ADN views extended here may implement methods pnut does not route (ADN's POST to
        # star, PUT to update a profile): those are 405 before any scope is checked.
        if request.method not in self.allowed_methods:
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        try:
            token = request.auth
        except APIException:  # a bad token, reported by the response already being sent
            token = None
        if token is not None:
            # The scopes as granted, the same list as the token object's ``scopes``.
            response["X-OAuth-Scopes"] = ",".join(sorted(set(token.scope.split())))
        return response

    def pnut_options(self) -> PnutOptions:
        return PnutOptions.from_request(self.request)

    def posts_data(self, posts) -> list[dict]:
        return PnutPostPage(posts, self.viewer, self.pnut_options()).render()

    def users_data(self, users) -> list[dict]:
        return users_to_pnut(users, self.viewer, self.pnut_options())


class PnutPostsView(PnutDialect, post_views.PostsApiView):
    pass


# Posts


class PostsView(PnutDialect, post_views.PostCollectionView):
    """``GET posts?ids=`` as ADN; ``POST posts`` with pnut's body, answered 201."""

    http_method_names = ["get", "post", "head", "options"]

    def post(self, request: Request):
        new = NewPnutPost.from_request(request)
        post = posting.create_post(
            self.viewer,
            text=new.text,
            reply_to=new.reply_to,
            annotations=new.annotations,
            parse_links=new.entities.parse_links,
            parse_markdown_links=new.entities.parse_markdown_links,
            source=self.source(),
            is_nsfw=new.is_nsfw,
        )
        return enveloped(self.post_data(post.pk), status=201)


class PostView(PnutDialect, post_views.PostView):
    http_method_names = ["get", "delete", "head", "options"]


class ThreadView(PnutDialect, post_views.RepliesView):
    pass


class RepostView(PnutPostsView):
    """Both directions answer with the acted-on original, not the repost (pnut's rule)."""

    access = {"PUT": user_token("write_post"), "DELETE": user_token("write_post")}
    http_method_names = WRITE

    def put(self, request: Request, post_id: str):
        repost, _created = reposts.repost(
            self.viewer,
            get_post(post_id),
            source=self.source(),
            is_nsfw=nsfw_from_request(request),
        )
        return enveloped(self.post_data(repost.repost_of_id), status=201)

    def delete(self, request: Request, post_id: str):
        original = reposts.unrepost(self.viewer, get_post(post_id))
        if not can_see(self.viewer, original):
            # One may always remove one's repost, but is shown no more of a post one lost.
            return enveloped({"id": str(original.pk), "you_reposted": False})
        return enveloped(self.post_data(original.pk))


class BookmarkView(PnutPostsView):
    """A pnut bookmark is an ADN star."""

    access = {"PUT": user_token("write_post"), "DELETE": user_token("write_post")}
    http_method_names = WRITE

    def put(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.star(self.viewer, get_post(post_id)).pk))

    def delete(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.unstar(self.viewer, get_post(post_id)).pk))


# Streams


class PnutStream(PnutDialect):
    directed_default = True  # pnut: include_directed_posts defaults to true everywhere


class PersonalStreamView(PnutStream, stream_views.PersonalStreamView):
    pass


class UnifiedStreamView(PnutStream, stream_views.UnifiedStreamView):
    pass


class GlobalStreamView(PnutStream, stream_views.GlobalStreamView):
    def posts(self):
        return queries.global_posts(humans_only=True)  # pnut's global is humans only


class TagStreamView(PnutStream, stream_views.TagStreamView):
    pass


class UserPostsView(PnutStream, stream_views.UserPostsView):
    pass


class UserMentionsView(PnutStream, stream_views.UserMentionsView):
    pass


class UserBookmarksView(PnutDialect, post_views.UserStarsView):
    pass


# Users


class UserView(PnutDialect, user_views.UserView):
    pass


class FollowView(PnutDialect, user_views.RelationView):
    """``PUT`` creates the relation (ADN: ``POST``), ``DELETE`` removes it; both return the user."""

    access = {"PUT": user_token("follow"), "DELETE": user_token("follow")}
    http_method_names = WRITE

    def put(self, request: Request, user_id: str):
        return self.post(request, user_id)


class MuteView(FollowView):
    create = staticmethod(graph.mute)
    remove = staticmethod(graph.unmute)


class BlockView(FollowView):
    create = staticmethod(graph.block)
    remove = staticmethod(graph.unblock)


class FollowersView(PnutDialect, user_views.RelatedUsersView):
    pass


class FollowingView(PnutDialect, user_views.FollowingView):
    pass


# Platform


class TokenView(PnutDialect, adn_views.TokenView):
    http_method_names = ["get", "delete", "head", "options"]

    def get(self, request: Request):
        return enveloped(token_to_pnut(request.auth, self.user_data))

    def delete(self, request: Request):
        data = token_to_pnut(request.auth, self.user_data)
        request.auth.revoke()
        return enveloped(data)


class TextProcessView(PnutDialect, adn_views.ApiView):
    """The text, html and entities a post would get, without saving anything."""

    access = {"POST": ANY_TOKEN}
    http_method_names = ["post", "options"]

    def post(self, request: Request):
        data = body_of(request)
        if "text" not in data:
            raise BadRequest("text is required.")
        processed = process_post_text(data.get("text"), pnut_entity_options(data))
        return enveloped(processed_text_to_pnut(processed))


class UnknownRouteView(PnutDialect, adn_views.UnknownRouteView):
    pass
