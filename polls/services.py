"""Making, answering and deleting polls, and attaching them to posts and messages.

pnut's rules (its docs, resources/polls): 2 to 10 options of up to 64 characters (runs of spaces
become one), a prompt of up to 256, open from 1 minute to 2 weeks, ``max_options`` from 1 to the
number of options; only human accounts respond, until the poll closes, and may change or clear
their response. A response locks its poll first (``_lock``), so concurrent responses queue there
and the counters stay exact; the unique constraints are the last word.

``attach`` is the poll's annotation replacement value (``+io.pnut.core.poll`` inside an
annotation, and the ``io.pnut.core.poll-notice`` annotation it fills): checked and filled in
when the annotations are written, as pnut's notice is a summary, not live results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import Reason, Refused, invalid
from core.inputs import parse_id, storable_text
from users.models import User

from .models import Poll, PollChoice, PollOption, PollResponse

MAX_PROMPT = 256
MAX_OPTION_TEXT = 64
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MIN_OPEN, MAX_OPEN = timedelta(minutes=1), timedelta(minutes=20160)
MAX_TYPE = 256
MAX_IDS = 100  # pnut: "Only returns the first 100 found"
REPLACEMENT = "+io.pnut.core.poll"
NOTICE = "io.pnut.core.poll-notice"


@dataclass(frozen=True)
class NewPoll:
    """A poll as its maker asks for it, values already typed (``polls.serializers`` reads the
    request body into one); ``create_poll`` checks every rule."""

    type: str
    prompt: str
    options: list[tuple[int | None, str]]  # (position or None, text)
    closed_at: datetime | None = None
    duration_minutes: int | None = None
    is_anonymous: bool = True
    is_public: bool = False
    max_options: int = 1


def _text(value, name: str, limit: int) -> str:
    if not isinstance(value, str) or not storable_text(value):
        raise invalid(f"{name} must be a string.")
    value = value.strip()
    if not value:
        raise invalid(f"{name} is required.")
    if len(value) > limit:
        raise invalid(f"{name} is {len(value)} characters long; the limit is {limit}.")
    return value


def _closing_time(new: NewPoll, now: datetime) -> datetime:
    if new.closed_at is not None:
        closed_at = new.closed_at
    elif new.duration_minutes is not None:
        if not MIN_OPEN <= timedelta(minutes=new.duration_minutes) <= MAX_OPEN:
            raise invalid("duration must be from 1 to 20160 minutes.")
        closed_at = now + timedelta(minutes=new.duration_minutes)
    else:
        raise invalid("closed_at or duration is required.")
    if not now + MIN_OPEN - timedelta(seconds=5) <= closed_at <= now + MAX_OPEN:
        raise invalid("closed_at must be from 1 minute to 2 weeks in the future.")
    return closed_at


def _options(listed: list[tuple[int | None, str]]) -> list[tuple[int, str]]:
    if not MIN_OPTIONS <= len(listed) <= MAX_OPTIONS:
        raise invalid(f"A poll has from {MIN_OPTIONS} to {MAX_OPTIONS} options.")
    texts = [" ".join(_text(text, "options.text", 1000).split()) for _, text in listed]
    for text in texts:
        if len(text) > MAX_OPTION_TEXT:
            raise invalid(f"An option is at most {MAX_OPTION_TEXT} characters.")
    positions = [position for position, _ in listed]
    if all(p is None for p in positions):
        return list(enumerate(texts, start=1))
    if sorted(p for p in positions if p is not None) != list(range(1, len(listed) + 1)):
        raise invalid("options' positions must be 1, 2, … one for each option.")
    return sorted(zip(positions, texts, strict=True))


def create_poll(owner: User, new: NewPoll, *, source=None) -> Poll:
    poll_type = _text(new.type, "type", MAX_TYPE)
    prompt = _text(new.prompt, "prompt", MAX_PROMPT)
    options = _options(new.options)
    if not 1 <= new.max_options <= len(options):
        raise invalid(f"max_options must be from 1 to {len(options)}, the number of options.")
    closed_at = _closing_time(new, timezone.now())
    with transaction.atomic():
        poll = Poll.objects.create(
            owner=owner,
            type=poll_type,
            prompt=prompt,
            closed_at=closed_at,
            is_anonymous=new.is_anonymous,
            is_public=new.is_public,
            max_options=new.max_options,
            source=source,
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=position, text=text) for position, text in options
        )
    return poll


def get_poll(poll_id, viewer: User | None, tokens: dict[int, str] | None = None) -> Poll:
    """The poll, if the viewer may read it (their own, a public one, or one whose token was
    shown); a 404 otherwise, the same as for no poll."""
    pk = parse_id(str(poll_id), "poll id")
    poll = Poll.objects.visible_to(viewer, tokens).for_rendering().filter(pk=pk).first()
    if poll is None:
        raise Refused(Reason.NOT_FOUND, f"No poll {pk}.", subject="poll")
    return poll


def polls_by_ids(ids: str, viewer: User | None, tokens: dict[int, str]) -> list[Poll]:
    parts = [part for part in ids.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} ids may be asked for at once.")
    wanted = list(dict.fromkeys(parse_id(part, "poll id") for part in parts))
    found = Poll.objects.visible_to(viewer, tokens).for_rendering().in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def _lock(pk: int) -> Poll:
    """Lock a poll for a response (queueing concurrent ones) and read it afresh."""
    poll = Poll.objects.select_for_update(no_key=True).filter(pk=pk).first()
    if poll is None:  # deleted since it was looked up
        raise Refused(Reason.NOT_FOUND, f"No poll {pk}.", subject="poll")
    return poll


def respond(
    user: User, poll_id, positions: list[int], tokens: dict[int, str] | None = None
) -> Poll:
    """Make ``positions`` the user's response to the poll (empty: clear it). Returns the
    poll, freshly read."""
    poll = get_poll(poll_id, user, tokens)
    if user.type != User.Type.HUMAN:
        raise Refused(Reason.NOT_ALLOWED, "Only human accounts may respond to polls.")
    if len(set(positions)) != len(positions):
        raise invalid("positions must not repeat an option.")
    try:
        with transaction.atomic():
            poll = _lock(poll.pk)
            _record(user, poll, positions)
    except IntegrityError:  # the constraints' last word, should a writer ever skip the lock
        raise Refused(Reason.ALREADY_DONE, "That response was just recorded.") from None
    return get_poll(poll.pk, user, {poll.pk: poll.poll_token})


def _record(user: User, poll: Poll, positions: list[int]) -> None:
    if poll.is_closed:
        raise invalid(f"Poll {poll.pk} has closed.")
    if len(positions) > poll.max_options:
        raise invalid(f"This poll takes at most {poll.max_options} option(s).")
    options = {o.position: o.pk for o in poll.options.all()}
    unknown = [p for p in positions if p not in options]
    if unknown:
        raise invalid(f"Poll {poll.pk} has no option at position {unknown[0]}.")
    chosen = {options[p] for p in positions}
    response = PollResponse.objects.filter(poll=poll, user=user).first()
    before = set(response.choices.values_list("option_id", flat=True)) if response else set()
    if not chosen:
        if response is not None:
            response.delete()
            Poll.objects.filter(pk=poll.pk).update(respondents=F("respondents") - 1)
    elif response is None:
        response = PollResponse.objects.create(poll=poll, user=user)
        Poll.objects.filter(pk=poll.pk).update(respondents=F("respondents") + 1)
    else:
        response.save(update_fields=["updated_at"])
    added, removed = chosen - before, before - chosen
    if response is not None and response.pk is not None:
        PollChoice.objects.filter(response=response, option_id__in=removed).delete()
        PollChoice.objects.bulk_create(PollChoice(response=response, option_id=o) for o in added)
    PollOption.objects.filter(pk__in=added).update(respondents=F("respondents") + 1)
    PollOption.objects.filter(pk__in=removed).update(respondents=F("respondents") - 1)


def delete_poll(user: User, poll_id) -> Poll:
    """Delete one's own poll (pnut: posts it was attached to keep their notice). Returns it as
    it was, options loaded."""
    poll = get_poll(poll_id, user)
    if poll.owner_id != user.pk:
        raise Refused(Reason.NOT_ALLOWED, "You can only delete your own polls.")
    options = list(poll.options.all())
    with transaction.atomic():
        Poll.objects.filter(pk=poll.pk).delete()
    poll._prefetched_objects_cache = {"options": options}  # shown as it was
    return poll


def summary(poll: Poll) -> dict:
    """What a poll notice shows of a poll (pnut's ``io.pnut.core.poll-notice``)."""
    return {
        "poll_id": str(poll.pk),
        "poll_token": poll.poll_token,
        "prompt": poll.prompt,
        "closed_at": poll.closed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "options": [{"text": o.text, "position": o.position} for o in poll.options.all()],
    }


def _reference(index: int, annotation: dict) -> tuple[dict, dict] | None:
    value = annotation["value"]
    if REPLACEMENT in value:
        ref = value[REPLACEMENT]
    elif annotation["type"] == NOTICE:
        ref = value
    else:
        return None
    if not isinstance(ref, dict) or not isinstance(ref.get("poll_token"), str):
        raise invalid(f"annotations[{index}]: a poll needs its poll_id and poll_token.")
    return value, ref


def attach(annotations: list[dict]) -> list[dict]:
    """Annotations (validated) with every poll they name checked against its token and filled
    in with its summary (``+io.pnut.core.poll`` replaced, other values kept). A poll notice
    must name a poll; a wrong token is refused as no poll."""
    refs = {}
    for index, annotation in enumerate(annotations):
        found = _reference(index, annotation)
        if found is not None:
            refs[index] = (*found, parse_id(str(found[1].get("poll_id", "")), "poll_id"))
    if not refs:
        return annotations
    polls = Poll.objects.prefetch_related("options").in_bulk({pk for *_, pk in refs.values()})
    attached = list(annotations)
    for index, (value, ref, pk) in refs.items():
        poll = polls.get(pk)
        if poll is None or poll.poll_token != ref["poll_token"]:
            raise invalid(f"annotations[{index}]: poll {pk} was not found for that token.")
        kept = {key: item for key, item in value.items() if key != REPLACEMENT}
        attached[index] = {"type": annotations[index]["type"], "value": kept | summary(poll)}
    return attached


def notice_for(poll: Poll) -> dict:
    """The annotation that attaches ``poll`` to a post (filled in by ``attach``)."""
    return {
        "type": NOTICE,
        "value": {REPLACEMENT: {"poll_id": str(poll.pk), "poll_token": poll.poll_token}},
    }


def attached_reference(annotations: list[dict]) -> tuple[int, str] | None:
    """The poll a post's (stored, filled) annotations attach, with its token: diaspora's poll
    of a post is the first poll notice's."""
    for annotation in annotations or ():
        value = annotation.get("value")
        if annotation.get("type") == NOTICE and isinstance(value, dict):
            poll_id, token = str(value.get("poll_id", "")), value.get("poll_token")
            if poll_id.isascii() and poll_id.isdigit() and isinstance(token, str):
                return int(poll_id), token
    return None


def attached_polls(by_object: dict[int, list[dict]]) -> dict[int, Poll]:
    """Each object's attached poll, where it still exists with the token it was attached
    with, options loaded: two queries for a page (none when no object has a poll)."""
    refs = {
        pk: ref for pk, annotations in by_object.items() if (ref := attached_reference(annotations))
    }
    if not refs:
        return {}
    polls = Poll.objects.prefetch_related("options").in_bulk({pk for pk, _ in refs.values()})
    return {
        pk: polls[poll_id]
        for pk, (poll_id, token) in refs.items()
        if poll_id in polls and polls[poll_id].poll_token == token
    }


def chosen_options(user: User | None, polls: list[Poll]) -> set[int]:
    """The ids of the options ``user`` chose in these polls (one query)."""
    if user is None or not polls:
        return set()
    rows = PollChoice.objects.filter(response__user=user, response__poll__in=polls)
    return set(rows.values_list("option_id", flat=True))


def vote_once(user: User, poll_id: int, token: str, option_id) -> Poll:
    """diaspora's vote: one option (named by its id), once; a second vote is refused."""
    poll = get_poll(poll_id, user, {poll_id: token})
    if user.type != User.Type.HUMAN:
        raise Refused(Reason.NOT_ALLOWED, "Only human accounts may respond to polls.")
    if isinstance(option_id, bool) or not str(option_id).strip().isdigit():
        raise invalid("poll_answer must be the id of one of the poll's answers.")
    with transaction.atomic():
        poll = _lock(poll.pk)
        positions = dict(poll.options.values_list("pk", "position"))
        if int(str(option_id)) not in positions:
            raise invalid(f"Poll {poll.pk} has no answer {option_id}.")
        if PollResponse.objects.filter(poll=poll, user=user).exists():
            raise Refused(Reason.ALREADY_DONE, "You already voted in this poll.", subject="poll")
        _record(user, poll, [positions[int(str(option_id))]])
    return poll
