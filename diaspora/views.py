"""diaspora endpoints: thin views over the domain functions, mapping their refusals onto the
seed's status codes and sentences (the seed wins over diaspora's code, CONTRACT §8).

Reads need no token (every post here is public, which is all ``public:read`` would open);
reshares need ``public:modify`` and comments, likes and reports ``interactions``, or ADN's
``write_post`` (``adn_api.permissions.GRANTED_ALSO_BY``).
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.errors import BadRequest, Conflict, Forbidden, Gone, NotFound, Unprocessable
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView, UnknownRouteView
from posts.models import Post, Star
from posts.serializers import rendering_queryset
from posts.services.comments import delete_reply, find_reply, replies_to
from posts.services.lookup import find_post_by_guid
from posts.services.posting import create_post
from posts.services.reports import report_post
from posts.services.sight import hidden_by_block
from posts.services.stars import add_star, remove_star
from reposts.services import repost

from .mentions import to_domain_text
from .pagination import DiasporaPagination
from .renderers import DiasporaRenderer
from .serializers import DiasporaPage, like, reshare_summary

POST_NOT_FOUND = "Post with provided guid could not be found"
COMMENT_NOT_FOUND = "Comment not found for the given post"
RESHARE_NOT_ALLOWED = "User is not allowed to reshare"
RESHARE_EXISTS = "Reshare already exists"
COMMENT_NOT_ALLOWED = "User is not allowed to comment"
COMMENT_NOT_ACCEPTED = "Couldn't accept or process the comment"
DELETE_NOT_ALLOWED = "User not allowed to delete the comment"
LIKE_NOT_ALLOWED = "User is not allowed to like"
LIKE_EXISTS = "Like already exists"
LIKE_MISSING = "Like doesn’t exist"  # diaspora's own sentence, typographic apostrophe and all

READ = PUBLIC
RESHARE = user_token("public:modify")
INTERACT = user_token("interactions")


class DiasporaView(ApiView):
    renderer_classes = [DiasporaRenderer]

    def visible_post(self, guid: str) -> Post:
        post = find_post_by_guid(guid)
        if post is None:
            raise NotFound(POST_NOT_FOUND)
        return post

    def readable_post(self, guid: str) -> Post:
        """``visible_post`` for reads: a post a block hides from the viewer is not found, as
        diaspora answers any post the caller may not see (writes say 422 instead)."""
        post = self.visible_post(guid)
        if hidden_by_block(self.viewer, post):
            raise NotFound(POST_NOT_FOUND)
        return post

    def page(self, posts) -> DiasporaPage:
        return DiasporaPage(list(posts), self.viewer)

    def fresh_post(self, pk: int) -> dict:
        page = self.page(rendering_queryset().filter(pk=pk))
        return page.post(page.posts[0])

    def body_field(self, name: str):
        data = self.request.data
        if not hasattr(data, "get"):
            raise BadRequest("The request body must be a JSON object.")
        return data.get(name)

    def source(self):
        return self.request.auth.application if self.request.auth is not None else None

    def paged(self, pagination: DiasporaPagination, data: list) -> Response:
        return Response(data, headers=pagination.headers())


class PostView(DiasporaView):
    access = {"GET": READ}

    def get(self, request: Request, guid: str):
        return Response(self.fresh_post(self.readable_post(guid).pk))


class ResharesView(DiasporaView):
    access = {"GET": READ, "POST": RESHARE}

    def get(self, request: Request, guid: str):
        original = self.readable_post(guid).original
        pagination = DiasporaPagination(request)
        reshares = pagination.paginate(
            Post.objects.filter(repost_of=original, user__is_active=True).select_related("user")
        )
        return self.paged(pagination, [reshare_summary(r) for r in reshares])

    def post(self, request: Request, guid: str):
        post = self.visible_post(guid)
        try:
            reshare, created = repost(self.viewer, post, source=self.source())
        except NotFound:
            raise NotFound(POST_NOT_FOUND) from None
        except (BadRequest, Forbidden):  # your own post; an author who blocks you
            raise Unprocessable(RESHARE_NOT_ALLOWED) from None
        if not created:
            raise Conflict(RESHARE_EXISTS)
        return Response(self.fresh_post(reshare.pk))


class CommentsView(DiasporaView):
    access = {"GET": READ, "POST": INTERACT}

    def get(self, request: Request, guid: str):
        post = self.readable_post(guid)
        pagination = DiasporaPagination(request)
        page = self.page(pagination.paginate(rendering_queryset(replies_to(post))))
        return self.paged(pagination, [page.comment(reply) for reply in page.posts])

    def post(self, request: Request, guid: str):
        post = self.visible_post(guid)
        body = self.body_field("body")
        if not isinstance(body, str) or not body.strip():
            raise Unprocessable(COMMENT_NOT_ACCEPTED)
        try:
            reply = create_post(
                self.viewer, text=to_domain_text(body), reply_to=post.pk, source=self.source()
            )
        except Forbidden:  # blocked
            raise Unprocessable(COMMENT_NOT_ALLOWED) from None
        except BadRequest:  # too long, unstorable characters, the post deleted meanwhile
            raise Unprocessable(COMMENT_NOT_ACCEPTED) from None
        page = self.page(rendering_queryset().filter(pk=reply.pk))
        return Response(page.comment(page.posts[0]), status=201)


class CommentView(DiasporaView):
    access = {"DELETE": INTERACT}

    def delete(self, request: Request, guid: str, comment_guid: str):
        reply = find_reply(self.visible_post(guid), comment_guid)
        if reply is None:
            raise Gone(COMMENT_NOT_FOUND)  # the seed's 410 (diaspora's code answers 404)
        try:
            delete_reply(self.viewer, reply)
        except Forbidden:
            raise Forbidden(DELETE_NOT_ALLOWED) from None
        except NotFound:  # deleted meanwhile
            raise Gone(COMMENT_NOT_FOUND) from None
        return Response(status=204)


class CommentReportView(DiasporaView):
    access = {"POST": INTERACT}

    def post(self, request: Request, guid: str, comment_guid: str):
        reply = find_reply(self.visible_post(guid), comment_guid)
        if reply is None:
            raise NotFound(COMMENT_NOT_FOUND)
        reason = self.body_field("reason")
        if reason is None or (isinstance(reason, str) and not reason.strip()):
            raise Unprocessable("reason is required: say why the comment is reported.")
        report_post(self.viewer, reply, reason)  # 409 with the seed's sentence when repeated
        return Response(status=204)


class LikesView(DiasporaView):
    access = {"GET": READ, "POST": INTERACT, "DELETE": INTERACT}

    def get(self, request: Request, guid: str):
        original = self.readable_post(guid).original
        pagination = DiasporaPagination(request)
        stars = pagination.paginate(
            Star.objects.filter(post=original, user__is_active=True).select_related("user")
        )
        return self.paged(pagination, [like(star) for star in stars])

    def post(self, request: Request, guid: str):
        try:
            _, created = add_star(self.viewer, self.visible_post(guid))
        except Forbidden:
            raise Unprocessable(LIKE_NOT_ALLOWED) from None
        except NotFound:
            raise NotFound(POST_NOT_FOUND) from None
        if not created:
            raise Conflict(LIKE_EXISTS)
        return Response(status=204)

    def delete(self, request: Request, guid: str):
        _, removed = remove_star(self.viewer, self.visible_post(guid))
        if not removed:
            raise Gone(LIKE_MISSING)
        return Response(status=204)


class DiasporaUnknownRouteView(UnknownRouteView):
    """Any other path under /api/v1/: a 404 in diaspora's shape."""

    renderer_classes = [DiasporaRenderer]
