"""pnut's poll object, and reading a new poll or a response from a request.

``PollPage`` renders a page of polls in a constant number of queries: the viewer's own choices
(one), samples of who chose what on closed, named polls (one window query), the owners as the
dialect renders users (its one query for the viewer's relationships). Results (``respondents``)
show only once a poll has closed, as pnut's docs say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from adn_api.formats import iso_z
from core.errors import invalid
from core.inputs import flag_value

from .models import Poll, PollChoice
from .services import NewPoll

SAMPLE_SIZE = 20
TOKEN_PREFIX = "poll_token_"


class PollPage:
    def __init__(
        self,
        polls: list[Poll],
        viewer,
        render_users: Callable[[list], list[dict]],
        shown_tokens: Mapping[int, str] | None = None,
    ):
        self.polls = polls
        self.viewer = viewer
        self.shown_tokens = shown_tokens or {}
        ids = [poll.pk for poll in polls]
        self.yours: set[tuple[int, int]] = set()
        if viewer is not None and ids:
            self.yours = set(
                PollChoice.objects.filter(
                    response__user=viewer, response__poll_id__in=ids
                ).values_list("response__poll_id", "option__position")
            )
        named = [poll.pk for poll in polls if poll.is_closed and not poll.is_anonymous]
        self.samples: dict[int, list[str]] = {}
        if named:
            rows = (
                PollChoice.objects.filter(option__poll_id__in=named)
                .annotate(
                    rank=Window(RowNumber(), partition_by=[F("option_id")], order_by=F("id").desc())
                )
                .filter(rank__lte=SAMPLE_SIZE)
                .values_list("option_id", "response__user_id")
            )
            for option_id, user_id in rows:
                self.samples.setdefault(option_id, []).append(str(user_id))
        owners = list({poll.owner_id: poll.owner for poll in polls}.values())
        self.users = dict(zip((u.pk for u in owners), render_users(owners), strict=True))

    def render(self) -> list[dict]:
        return [self.poll(poll) for poll in self.polls]

    def poll(self, poll: Poll) -> dict:
        closed = poll.is_closed
        options = []
        for option in poll.options.all():
            item: dict = {"text": option.text, "position": option.position}
            if self.viewer is not None:
                item["is_your_response"] = (poll.pk, option.position) in self.yours
            if closed:
                item["respondents"] = option.respondents
                if not poll.is_anonymous:
                    item["respondent_ids"] = self.samples.get(option.pk, [])
            options.append(item)
        source = poll.source
        profile = getattr(source, "profile", None) if source is not None else None
        data = {
            "id": str(poll.pk),
            "type": poll.type,
            "prompt": poll.prompt,
            "created_at": iso_z(poll.created_at),
            "closed_at": iso_z(poll.closed_at),
            "is_anonymous": poll.is_anonymous,
            "is_public": poll.is_public,
            "max_options": poll.max_options,
            "options": options,
            "source": {
                "id": source.client_id if source else "",
                "link": profile.link if profile else "",
                "name": source.name if source else "API",
            },
            "user": self.users[poll.owner_id],
        }
        is_owner = self.viewer is not None and poll.owner_id == self.viewer.pk
        if is_owner or self.shown_tokens.get(poll.pk) == poll.poll_token:
            data["poll_token"] = poll.poll_token
        return data


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise invalid(f"{name} must be a whole number.")
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise invalid(f"{name} must be a whole number.")
    return int(text)


def _closed_at(value) -> datetime | None:
    if value in (None, ""):
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise invalid("closed_at must be an ISO 8601 time, e.g. 2030-01-01T12:00:00Z.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _position(value) -> int | None:
    return None if value in (None, "") else _int(value, "position")


def new_poll(body: dict) -> NewPoll:
    """A poll as pnut's ``POST polls`` body asks for it (values as JSON or strings)."""
    listed = body.get("options")
    if not isinstance(listed, list) or not all(isinstance(o, dict) for o in listed):
        raise invalid("options must be a list of {text, position} objects.")
    options = [(_position(o.get("position")), o.get("text")) for o in listed]
    duration = body.get("duration")
    return NewPoll(
        type=body.get("type"),
        prompt=body.get("prompt"),
        options=options,
        closed_at=_closed_at(body.get("closed_at")),
        duration_minutes=None if duration in (None, "") else _int(duration, "duration"),
        is_anonymous=flag_value(body.get("is_anonymous", True), "is_anonymous"),
        is_public=flag_value(body.get("is_public", False), "is_public"),
        max_options=_int(body.get("max_options", 1), "max_options"),
    )


def positions_from(body: dict, params) -> list[int]:
    """The positions of a response: the body's ``positions`` list, or the query's (a list, or
    comma-separated)."""
    if "positions" in body:
        value = body["positions"]
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise invalid("positions must be a list of option positions.")
    else:
        value = [
            part
            for item in params.getlist("positions") + params.getlist("positions[]")
            for part in item.split(",")
            if part.strip()
        ]
    return [_int(position, "positions") for position in value]


def shown_tokens(params, poll_id=None) -> dict[int, str]:
    """The poll tokens a request shows: ``poll_token`` for the poll in its path, and
    ``poll_token_{id}`` for any (pnut's ``GET polls?ids=``)."""
    tokens = {}
    for key, value in params.items():
        if key.startswith(TOKEN_PREFIX) and key[len(TOKEN_PREFIX) :].isdigit():
            tokens[int(key[len(TOKEN_PREFIX) :])] = value
    poll_id = str(poll_id or "")
    if poll_id.isascii() and poll_id.isdigit() and params.get("poll_token"):
        tokens[int(poll_id)] = params["poll_token"]
    return tokens
