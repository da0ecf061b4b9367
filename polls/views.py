"""pnut's poll endpoints (routed in pnut/urls.py): thin views over polls.services.

Reads need a user token (pnut's ``polls`` scope, or ``write_post``, which may make and answer
polls: ``adn_api.permissions.GRANTED_ALSO_BY``); a private poll is read by its owner or with
its token (``poll_token``, or ``poll_token_{id}`` in a list).
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework.request import Request

from adn_api.dialects import PNUT
from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.pagination import page_meta, read_cursor
from adn_api.parsers import body_object
from adn_api.permissions import user_token
from adn_api.views import ApiView
from core.inputs import flag_value
from core.paging import paginate

from . import services
from .models import Poll
from .serializers import PollPage, new_poll, positions_from, shown_tokens

POLLS = user_token("polls")


def polls_data(view: ApiView, polls: list[Poll], tokens=None) -> list[dict]:
    """Polls as ``view``'s viewer sees them, owners rendered in the view's dialect."""
    return PollPage(polls, view.viewer, view.users_data, tokens).render()


def poll_data(view: ApiView, poll: Poll, tokens=None) -> dict:
    return polls_data(view, [poll], tokens)[0]


class PollsView(ApiView):
    """``POST polls`` makes a poll (201, with its token); ``GET polls?ids=`` reads several."""

    dialect = PNUT
    access = {"GET": POLLS, "POST": POLLS}

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is None:
            raise BadRequest("ids is required: a comma-separated list of poll ids.")
        tokens = shown_tokens(request.query_params)
        return enveloped(polls_data(self, services.polls_by_ids(ids, self.viewer, tokens), tokens))

    def post(self, request: Request):
        poll = services.create_poll(
            self.viewer, new_poll(body_object(request)), source=self.source()
        )
        return enveloped(poll_data(self, services.get_poll(poll.pk, self.viewer)), status=201)


class PollView(ApiView):
    """``GET polls/{id}`` (a private one with ``poll_token``); ``DELETE``: its owner only."""

    dialect = PNUT
    access = {"GET": POLLS, "DELETE": POLLS}

    def get(self, request: Request, poll_id: str):
        tokens = shown_tokens(request.query_params, poll_id)
        return enveloped(poll_data(self, services.get_poll(poll_id, self.viewer, tokens), tokens))

    def delete(self, request: Request, poll_id: str):
        return enveloped(poll_data(self, services.delete_poll(self.viewer, poll_id)))


class PollResponseView(ApiView):
    """``PUT polls/{id}/response`` with ``positions`` (body or query; empty clears the
    response), and the older ``PUT polls/{id}/response/{position}`` pnutpy calls."""

    dialect = PNUT
    access = {"PUT": POLLS}
    http_method_names = ["put", "options"]

    def put(self, request: Request, poll_id: str, position: str | None = None):
        params = request.query_params
        if position is not None:
            positions = positions_from({"positions": [position]}, params)
        else:
            positions = positions_from(body_object(request), params)
        tokens = shown_tokens(params, poll_id)
        poll = services.respond(self.viewer, poll_id, positions, tokens)
        return enveloped(poll_data(self, poll, tokens))


class MyPollsView(ApiView):
    """``GET users/me/polls``: the viewer's polls, newest first, paginated by id."""

    dialect = PNUT
    access = {"GET": POLLS}

    def get(self, request: Request):
        params = request.query_params
        rows = Poll.objects.filter(owner=self.viewer)
        if not flag_value(params.get("include_closed", "1"), "include_closed"):
            rows = rows.filter(closed_at__gt=timezone.now())
        if not flag_value(params.get("include_private", "1"), "include_private"):
            rows = rows.filter(is_public=True)
        if types := params.get("poll_types"):
            rows = rows.filter(type__in=[t for t in types.split(",") if t])
        elif types := params.get("exclude_poll_types"):
            rows = rows.exclude(type__in=[t for t in types.split(",") if t])
        result = paginate(rows.for_rendering(), read_cursor(request))
        polls = list(result.items)
        data = polls_data(self, polls)
        for item, poll in zip(data, polls, strict=True):
            item["pagination_id"] = str(poll.pagination_id)
        return enveloped(data, page_meta(polls, result.more))
