"""Post endpoints (App.net's, and pnut's where they are the same): thin views over
posts.services."""

from __future__ import annotations

from django.db import transaction
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.parsers import body_object
from adn_api.permissions import PUBLIC, user_token
from adn_api.views import ApiView
from streams.services import markers
from streams.services.page import Stream
from users.models import visible_users
from users.services.lookup import get_user

from .models import Star
from .options import BY_ID, query_flag
from .serializers import NewPost
from .services import posting, reports, revisions, stars
from .services.lookup import get_post, posts_by_ids


class PostCollectionView(ApiView):
    """``GET posts?ids=``; ``POST posts`` makes a post or a reply (pnut answers 201)."""

    access = {"GET": PUBLIC, "POST": user_token("write_post")}
    created_status = 200
    # pnut's ``update_marker=1``: the stream marker moved to the new post, with it.
    marker_on_create: str | None = None

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is None:
            raise BadRequest("ids is required: a comma-separated list of post ids.")
        options = self.options_for()
        return enveloped(self.posts_data(posts_by_ids(ids, self.viewer, options.filters), options))

    def post(self, request: Request):
        new = NewPost.from_body(body_object(request), self.dialect.name)
        mark = query_flag(request.query_params, "update_marker", False)
        with transaction.atomic():
            post = new.create(self.viewer, self.source())
            if mark and self.marker_on_create:
                item = {"name": self.marker_on_create, "id": str(post.pk)}
                markers.update_markers(self.viewer, [item], reset_read_id=False)
        return enveloped(self.post_data(post.pk), status=self.created_status)


class PostView(ApiView):
    """One post: read, delete, and (pnut only: App.net's route leaves ``put`` out) revise,
    answering 201 with the revised post as pnut's docs show."""

    access = {"GET": PUBLIC, "DELETE": user_token("write_post"), "PUT": user_token("write_post")}

    def get(self, request: Request, post_id: str):
        options = self.options_for(**vars(BY_ID))
        post = get_post(post_id, self.viewer, options.filters)
        return enveloped(self.post_data(post.pk))

    def put(self, request: Request, post_id: str):
        body = body_object(request)
        new = NewPost.from_body(body, self.dialect.name)
        post = revisions.revise_post(
            self.viewer,
            post_id,
            text=new.text,
            entities=new.entities,
            is_nsfw=new.is_nsfw if "is_nsfw" in body else None,
            reply_to=new.reply_to,
        )
        return enveloped(self.post_data(post.pk), status=201)

    def delete(self, request: Request, post_id: str):
        post = posting.delete_post(self.viewer, post_id)
        return enveloped(self.post_data(post.pk))


class RevisionsView(ApiView):
    """pnut's ``posts/{id}/revisions``: the post's earlier versions, oldest first, each with
    its ``revision`` number."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        return enveloped(self.posts_data(revisions.previous_versions(post_id, self.viewer)))


class ThreadView(ApiView):
    """The thread the post belongs to, newest first (App.net's replies, pnut's thread)."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        post = get_post(post_id, self.viewer).original  # a repost's replies are its original's
        return self.stream_response(Stream.thread(post))


class StarView(ApiView):
    """Star (pnut: bookmark) a post: App.net POSTs, pnut PUTs (``http_method_names`` in its
    route); DELETE unstars. Both answer with the post."""

    access = {method: user_token("write_post") for method in ("POST", "PUT", "DELETE")}
    http_method_names = ["post", "delete", "options"]

    def post(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.star(self.viewer, get_post(post_id)).pk))

    put = post

    def delete(self, request: Request, post_id: str):
        return enveloped(self.post_data(stars.unstar(self.viewer, get_post(post_id)).pk))


class StarrersView(ApiView):
    """Users who starred a post, newest star first."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, post_id: str):
        post = get_post(post_id, self.viewer).original
        return self.users_page(Star.objects.filter(visible_users(self.viewer, "user__"), post=post))


class UserStarsView(ApiView):
    """Posts a user starred (pnut: bookmarks), newest star first (paginated by the star)."""

    access = {"GET": PUBLIC}

    def get(self, request: Request, user_id: str):
        return self.stream_response(Stream.stars(get_user(user_id, self.viewer)))


class ReportView(ApiView):
    """Report a post as spam (``reports.report_spam``); answers with the reported post."""

    access = {"POST": user_token()}

    def post(self, request: Request, post_id: str):
        reason = body_object(request).get("reason", "")
        post = reports.report_spam(self.viewer, get_post(post_id, self.viewer), reason)
        return enveloped(self.post_data(post.pk))
