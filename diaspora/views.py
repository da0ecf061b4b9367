"""diaspora endpoints: thin views over the domain functions. Each names its action per method
(``actions``), by which ``diaspora.errors`` words a refusal with the seed's status and sentence.

Reads need no token (every post here is public, which is all ``public:read`` would open);
reshares need ``public:modify`` and comments, likes and reports ``interactions``, or ADN's
``write_post`` (``adn_api.permissions.GRANTED_ALSO_BY``).
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.errors import Unprocessable
from adn_api.parsers import body_object
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from core.errors import Reason, Refused
from posts.models import Post, Star
from posts.services.comments import delete_reply, find_reply, replies_to
from posts.services.lookup import get_post_by_guid
from posts.services.posting import create_post
from posts.services.reports import report_post
from posts.services.stars import add_star, remove_star
from reposts.services import repost
from users.models import visible_users

from .mentions import to_domain_text
from .pagination import DiasporaPagination
from .serializers import DiasporaPage, like, reshare_summary

READ = PUBLIC
RESHARE = user_token("public:modify")
INTERACT = user_token("interactions")


def fresh_post(view: ApiView, pk: int) -> dict:
    """A post as it now is, rendered for the view's viewer."""
    page = DiasporaPage(list(Post.objects.for_rendering().filter(pk=pk)), view.viewer)
    return page.post(page.posts[0])


def listed(view: ApiView, rows, render: Callable[[list], list]) -> Response:
    """A page of rows (oldest first), each rendered, with diaspora's Link header."""
    pagination = DiasporaPagination(view.request)
    items = pagination.paginate(rows)
    return Response(render(items), headers=pagination.headers())


class PostView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ}

    def get(self, request: Request, guid: str):
        return Response(fresh_post(self, get_post_by_guid(guid, self.viewer).pk))


class ResharesView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ, "POST": RESHARE}
    actions = {"POST": "reshare"}

    def get(self, request: Request, guid: str):
        original = get_post_by_guid(guid, self.viewer).original
        reshares = Post.objects.filter(visible_users(self.viewer, "user__"), repost_of=original)
        return listed(
            self, reshares.select_related("user"), lambda rows: [reshare_summary(r) for r in rows]
        )

    def post(self, request: Request, guid: str):
        reshare, created = repost(self.viewer, get_post_by_guid(guid), source=self.source())
        if not created:  # App.net answers with the existing repost; diaspora refuses
            raise Refused(Reason.ALREADY_DONE, "You already reshared this post.")
        return Response(fresh_post(self, reshare.pk))


class CommentsView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ, "POST": INTERACT}
    actions = {"POST": "comment"}

    def get(self, request: Request, guid: str):
        post = get_post_by_guid(guid, self.viewer)
        replies = replies_to(post, self.viewer).for_rendering()

        def render(rows):
            page = DiasporaPage(rows, self.viewer)
            return [page.comment(reply) for reply in page.posts]

        return listed(self, replies, render)

    def post(self, request: Request, guid: str):
        post = get_post_by_guid(guid)
        body = body_object(request).get("body")
        text = to_domain_text(body) if isinstance(body, str) else body
        reply = create_post(self.viewer, text=text, reply_to=post.pk, source=self.source())
        page = DiasporaPage(list(Post.objects.for_rendering().filter(pk=reply.pk)), self.viewer)
        return Response(page.comment(page.posts[0]), status=201)


class CommentView(ApiView):
    dialect = DIASPORA
    access = {"DELETE": INTERACT}
    actions = {"DELETE": "delete comment"}

    def delete(self, request: Request, guid: str, comment_guid: str):
        delete_reply(self.viewer, find_reply(get_post_by_guid(guid), comment_guid))
        return Response(status=204)


class CommentReportView(ApiView):
    dialect = DIASPORA
    access = {"POST": INTERACT}
    actions = {"POST": "report comment"}

    def post(self, request: Request, guid: str, comment_guid: str):
        reply = find_reply(get_post_by_guid(guid), comment_guid)
        reason = body_object(request).get("reason")
        if reason is None or (isinstance(reason, str) and not reason.strip()):
            raise Unprocessable("reason is required: say why the comment is reported.")
        report_post(self.viewer, reply, reason)
        return Response(status=204)


class LikesView(ApiView):
    dialect = DIASPORA
    access = {"GET": READ, "POST": INTERACT, "DELETE": INTERACT}
    actions = {"POST": "like", "DELETE": "like"}

    def get(self, request: Request, guid: str):
        original = get_post_by_guid(guid, self.viewer).original
        likes = Star.objects.filter(visible_users(self.viewer, "user__"), post=original)
        return listed(self, likes.select_related("user"), lambda rows: [like(s) for s in rows])

    def post(self, request: Request, guid: str):
        _, created = add_star(self.viewer, get_post_by_guid(guid))
        if not created:  # a second star changes nothing; diaspora refuses a second like
            raise Refused(Reason.ALREADY_DONE, "You already like this post.")
        return Response(status=204)

    def delete(self, request: Request, guid: str):
        _, removed = remove_star(self.viewer, get_post_by_guid(guid))
        if not removed:
            raise Refused(Reason.NOT_FOUND, "You do not like this post.", subject="like")
        return Response(status=204)
