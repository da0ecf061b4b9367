"""Helpers shared by the messaging tests: people with tokens, and quick calls."""

from __future__ import annotations

from messaging.models import Channel, ChannelAcl, Message, Subscription, Unread
from tests.post_support import error, ok

ADN = "/stream/0"

__all__ = ["ADN", "error", "ok", "snapshot"]


def snapshot() -> dict:
    """Every messaging row count, to show a refused request wrote nothing."""
    return {
        model.__name__: model.objects.count()
        for model in (Channel, ChannelAcl, Message, Subscription, Unread)
    }
