"""A poll, its options, and who responded with which (``PollResponse`` is diaspora's
participation: one per person per poll; ``PollChoice`` the options it chose, one for diaspora,
up to ``max_options`` for pnut). Counters (``PollOption.respondents``, ``Poll.respondents``) move
only with the poll locked (``polls.services.respond``), so they stay exact whatever the timing.

Which polls a viewer may read is ``visible_polls``: their own, public ones, and the ones whose
token they show (a poll attached to a post carries its token in the post's annotation)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_poll_token() -> str:
    return secrets.token_urlsafe(24)


def visible_polls(viewer, tokens: dict[int, str] | None = None) -> Q:
    """The polls ``viewer`` (None: signed out) may read; ``tokens`` maps poll ids to the
    tokens the request showed for them."""
    condition = Q(is_public=True)
    if viewer is not None:
        condition |= Q(owner=viewer)
    for poll_id, token in (tokens or {}).items():
        condition |= Q(pk=poll_id, poll_token=token)
    return condition & Q(owner__is_active=True)


class PollQuerySet(models.QuerySet):
    def visible_to(self, viewer, tokens: dict[int, str] | None = None) -> PollQuerySet:
        return self.filter(visible_polls(viewer, tokens))

    def for_rendering(self) -> PollQuerySet:
        return self.select_related("owner", "source", "source__profile").prefetch_related("options")


class Poll(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="polls"
    )
    type = models.CharField(max_length=256)  # reverse-domain, e.g. io.pnut.core.poll
    prompt = models.TextField()
    closed_at = models.DateTimeField(db_index=True)
    is_anonymous = models.BooleanField(default=True)
    is_public = models.BooleanField(default=False)
    max_options = models.PositiveSmallIntegerField(default=1)
    poll_token = models.CharField(max_length=64, unique=True, default=new_poll_token)
    source = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    respondents = models.PositiveIntegerField(default=0)  # people with a response
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner", "id"])]

    def __str__(self) -> str:
        return f"poll {self.pk} by {self.owner_id}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at <= timezone.now()


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()  # 1, 2, … in the order shown
    text = models.CharField(max_length=64)
    respondents = models.PositiveIntegerField(default=0)  # people who chose it

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position")
        ]

    def __str__(self) -> str:
        return f"option {self.position} of poll {self.poll_id}"


class PollResponse(models.Model):
    """One person's response to one poll (diaspora's participation)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="poll_one_response_per_user")
        ]

    def __str__(self) -> str:
        return f"response of {self.user_id} to poll {self.poll_id}"


class PollChoice(models.Model):
    """An option a response chose."""

    response = models.ForeignKey(PollResponse, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "option"], name="poll_choice_once")
        ]

    def __str__(self) -> str:
        return f"option {self.option_id} in response {self.response_id}"
