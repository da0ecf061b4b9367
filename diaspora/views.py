"""diaspora endpoints: thin views over the domain functions. Each names its action per method
(``actions``), by which ``diaspora.errors`` words a refusal with the seed's status and sentence.

Reads need no token (every post here is public, which is all ``public:read`` would open);
reshares need ``public:modify`` and comments, likes and reports ``interactions``, or ADN's
``write_post`` (``adn_api.permissions.GRANTED_ALSO_BY``). Conversations (PM channels, see
``messaging.services.conversations``) need ``conversations``, or ADN's ``messages``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from django.db.models import QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.request import Request
from rest_framework.response import Response

from adn_api.dialects import DIASPORA
from adn_api.errors import BadRequest, Unprocessable
from adn_api.parsers import body_object
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from core.errors import Reason, Refused
from core.inputs import flag_value
from messaging.models import Message
from messaging.services.channels import mute
from messaging.services.conversations import (
    conversations_of,
    get_conversation,
    recipient_ids,
    set_read,
    start_conversation,
)
from messaging.services.messages import post_message
from polls.services import MAX_OPEN, NewPoll, attached_reference, vote_once
from posts.models import Post, Star
from posts.options import PostFilters
from posts.services.comments import delete_reply, find_reply, replies_to
from posts.services.lookup import get_post_by_guid
from posts.services.posting import create_post, create_post_with_poll
from posts.services.reports import report_post
from posts.services.stars import add_star, remove_star
from reposts.services import repost
from users.models import visible_users

from .errors import MESSAGE_NOT_ACCEPTED
from .mentions import to_domain_text
from .pagination import DiasporaPagination
from .serializers import (
    ConversationPage,
    DiasporaPage,
    conversation_message,
    like,
    numbered_id,
    reshare_summary,
)

READ = PUBLIC
DIASPORA_POLL = "org.diaspora.poll"  # the type of a poll made with a diaspora post
RESHARE = user_token("public:modify")
INTERACT = user_token("interactions")
CONVERSE = user_token("conversations")
# A conversation shows every message in it, but none deleted or machine-only (no body).
SHOWN_MESSAGES = PostFilters(include_deleted=False, include_machine=False, include_muted=True)


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


def new_poll(value) -> NewPoll:
    """diaspora's ``poll``: ``{"question", "poll_answers": [text, …]}``. diaspora's polls do not
    close; here one stays open as long as a poll may (two weeks) and is public, as its post."""
    if not isinstance(value, dict) or not isinstance(value.get("poll_answers"), list):
        raise Refused(Reason.INVALID, "poll must be {question, poll_answers: [answer, …]}.")
    return NewPoll(
        type=DIASPORA_POLL,
        prompt=value.get("question"),
        options=[(None, answer) for answer in value["poll_answers"]],
        duration_minutes=int(MAX_OPEN.total_seconds() // 60),
        is_public=True,
    )


class PostsView(ApiView):
    """``POST posts``: publish a public post (a ``poll`` attached if given). Posts to aspects
    (``public: false``) and photos are not taken here: 422, nothing made."""

    dialect = DIASPORA
    access = {"POST": RESHARE}
    actions = {"POST": "create post"}
    http_method_names = ["post", "options"]

    def post(self, request: Request):
        body = body_object(request)
        if not flag_value(body.get("public", True), "public") or body.get("aspects"):
            raise Refused(Reason.INVALID, "Only public posts can be published here.")
        if body.get("photos"):
            raise Refused(Reason.INVALID, "Photos cannot be attached here.")
        text, source = text_field(body, "body"), self.source()
        if body.get("poll") is None:
            post = create_post(self.viewer, text=text, source=source)
        else:
            poll = new_poll(body["poll"])
            post = create_post_with_poll(self.viewer, poll, text=text, source=source)
        return Response(fresh_post(self, post.pk))


class VoteView(ApiView):
    """``POST posts/{guid}/vote`` with ``poll_answer`` (an answer's id): once per poll, 204."""

    dialect = DIASPORA
    access = {"POST": INTERACT}
    actions = {"POST": "vote"}

    def post(self, request: Request, guid: str):
        post = get_post_by_guid(guid, self.viewer).original
        reference = attached_reference(post.annotations)
        if reference is None:
            raise Refused(Reason.NOT_FOUND, "This post has no poll.", subject="poll")
        answer = body_object(request).get("poll_answer")
        vote_once(self.viewer, *reference, answer)
        return Response(status=204)


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


def conversation_id(guid: str) -> int:
    pk = numbered_id(guid)
    if pk is None:
        raise Refused(Reason.NOT_FOUND, f"No conversation {guid[:40]!r}.", subject="conversation")
    return pk


def conversations_data(channels: list) -> list[dict]:
    return ConversationPage(channels).data()


def text_field(body, name: str):
    """A text field of the body, diaspora's mentions turned into the domain's."""
    value = body.get(name)
    return to_domain_text(value) if isinstance(value, str) else value


def list_field(body, name: str):
    """A list as JSON sends it, or as a form does (``name`` repeated, or ``name[]``)."""
    if hasattr(body, "getlist"):
        return body.getlist(name) or body.getlist(f"{name}[]") or None
    return body.get(name)


def moment(value: str | None, name: str):
    """An ISO 8601 time of a query parameter (a date alone is its midnight, UTC)."""
    if value is None:
        return None
    parsed = parse_datetime(value.strip()) or (
        datetime.combine(day, time()) if (day := parse_date(value.strip())) else None
    )
    if parsed is None:
        raise BadRequest(f"{name} must be an ISO 8601 time, not {value[:40]!r}.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def unread_after(request: Request, rows: QuerySet, **unread: bool) -> QuerySet:
    """diaspora's ``only_unread`` (``unread`` says what unread is) and ``only_after`` filters
    of a list of conversations or notifications."""
    params = request.query_params
    if "only_unread" in params and flag_value(params["only_unread"], "only_unread"):
        rows = rows.filter(**unread)
    if (after := moment(params.get("only_after"), "only_after")) is not None:
        rows = rows.filter(created_at__gte=after)
    return rows


class ConversationsView(ApiView):
    dialect = DIASPORA
    access = {"GET": CONVERSE, "POST": CONVERSE}
    actions = {"POST": "start conversation"}

    def get(self, request: Request):
        rows = unread_after(request, conversations_of(self.viewer), has_unread=True)
        rows = rows.select_related("owner")
        pagination = DiasporaPagination(request)
        items = pagination.paginate(rows, newest_first=True)
        return Response(conversations_data(items), headers=pagination.headers())

    def post(self, request: Request):
        body = body_object(request)
        recipients = recipient_ids(list_field(body, "recipients"))
        channel, _ = start_conversation(
            self.viewer,
            recipients,
            subject=body.get("subject"),
            text=text_field(body, "body"),
            source=self.source(),
        )
        channel = get_conversation(self.viewer, channel.pk)
        return Response(conversations_data([channel])[0], status=201)


class ConversationView(ApiView):
    dialect = DIASPORA
    access = {"GET": CONVERSE, "PATCH": CONVERSE, "PUT": CONVERSE, "DELETE": CONVERSE}
    actions = {"PATCH": "update conversation", "PUT": "update conversation"}

    def get(self, request: Request, guid: str):
        channel = get_conversation(self.viewer, conversation_id(guid))
        return Response(conversations_data([channel])[0])

    def patch(self, request: Request, guid: str):
        body = body_object(request)
        channel = get_conversation(self.viewer, conversation_id(guid))
        if body.get("read") is None:
            raise Refused(Reason.INVALID, "read is required: true or false.")
        set_read(self.viewer, channel, flag_value(body.get("read"), "read"))
        return Response(conversations_data([get_conversation(self.viewer, channel.pk)])[0])

    put = patch  # Rails routes both to update

    def delete(self, request: Request, guid: str):
        mute(self.viewer, get_conversation(self.viewer, conversation_id(guid)))
        return Response(status=204)


class ConversationMessagesView(ApiView):
    dialect = DIASPORA
    access = {"GET": CONVERSE, "POST": CONVERSE}
    actions = {"POST": "message"}

    def get(self, request: Request, guid: str):
        channel = get_conversation(self.viewer, conversation_id(guid))
        rows = Message.objects.visible_to(self.viewer, SHOWN_MESSAGES).filter(channel=channel)
        return listed(
            self,
            rows.select_related("user"),
            lambda items: [conversation_message(m) for m in items],
        )

    def post(self, request: Request, guid: str):
        channel = get_conversation(self.viewer, conversation_id(guid))
        body = body_object(request)
        text = text_field(body, "body")
        if not isinstance(text, str) or not text.strip():
            raise Unprocessable(MESSAGE_NOT_ACCEPTED)
        message = post_message(self.viewer, channel, text=text, source=self.source())
        return Response(conversation_message(message), status=201)
