"""pnut.io's spelling of channels and messages, and of their request bodies.

The rows and rules are App.net's (messaging/): pnut's objects are reshaped from the App.net
rendering of the same page (``ChannelPage``, ``MessagePage``), as pnut posts are from
``PostPage``. pnut names the core types ``io.pnut.core.*`` and groups a channel's ACLs under
``acl {full, write, read}``; both are translated here, in and out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from adn_api.formats import iso_z
from core.errors import invalid
from messaging.models import Message
from messaging.options import BROADCAST, PM, PNUT_BROADCAST, PNUT_PM
from messaging.serializers import ChannelOptions, ChannelPage, MessagePage
from posts.serializers import annotations_from_raw

from .serializers import (
    UserExtras,
    adn_user_ids,
    pnut_entities,
    pnut_html,
    raw_from_annotations,
    set_user,
    source_from_adn,
)

TO_PNUT = {PM: PNUT_PM, BROADCAST: PNUT_BROADCAST}
TO_ADN = {pnut: adn for adn, pnut in TO_PNUT.items()}
ACL_NAMES = (("full", "editors"), ("write", "writers"), ("read", "readers"))


def adn_type(kind: str) -> str:
    """A type as stored: pnut's core names are App.net's."""
    return TO_ADN.get(kind, kind)


def pnut_type(kind: str) -> str:
    return TO_PNUT.get(kind, kind)


def read_options(params: Mapping, dialect: str) -> ChannelOptions:
    options = ChannelOptions.parse(params, dialect)
    if dialect == "pnut":
        options = replace(options, types=tuple(adn_type(t) for t in options.types))
    return options


def unread_counts(counts: dict[str, int], dialect: str) -> dict[str, int]:
    if dialect != "pnut":
        return counts
    return {pnut_type(kind): n for kind, n in counts.items()}


def channel_fields(data, dialect: str) -> dict[str, Any]:
    """A channel body as ``create_channel``/``update_channel`` take it: App.net's keys, or
    pnut's ``acl {full, write, read}`` and ``raw``."""
    if dialect != "pnut":
        return {
            "type": data.get("type"),
            "readers": data.get("readers"),
            "writers": data.get("writers"),
            "editors": data.get("editors"),
            "annotations": data.get("annotations"),
        }
    acl = data.get("acl")
    if acl is not None and not isinstance(acl, dict):
        raise invalid("acl must be an object with full, write and read.")
    acl = acl or {}
    fields: dict[str, Any] = {
        "type": adn_type(data["type"]) if isinstance(data.get("type"), str) else data.get("type"),
        "annotations": annotations_from_raw(data.get("raw")),
    }
    for pnut_name, adn_name in ACL_NAMES:
        fields[adn_name] = acl.get(pnut_name)
    return fields


class PnutMessages:
    """pnut's message object from App.net's rendering of the same message."""

    def __init__(self, page: MessagePage):
        self.page = page
        self.options = page.options
        self.extras = UserExtras()

    def render(self) -> list[dict]:
        adn = [self.page.adn(m) for m in self.page.messages]
        self.extras = UserExtras.load(adn_user_ids(adn), self.options.read)
        return [
            self.message(data, m.is_deleted)
            for data, m in zip(adn, self.page.messages, strict=True)
        ]

    def message(self, adn: dict, deleted: bool) -> dict:
        read = self.options.read
        source = source_from_adn(adn["source"])
        data: dict[str, Any] = {
            "id": adn["id"],
            "channel_id": adn["channel_id"],
            "created_at": adn["created_at"],
            "source": source if read.client else source["id"],
        }
        set_user(data, adn["user"], read, self.extras)
        data["thread_id"] = adn["thread_id"]
        data["counts"] = {"replies": adn["num_replies"]}
        data["is_sticky"] = bool(adn.get("is_sticky"))  # always present in pnut 1.x
        if adn["reply_to"]:
            data["reply_to"] = adn["reply_to"]
        if deleted:
            data["is_deleted"] = True  # and no content, as for pnut posts
        else:
            text = adn["text"]
            content = {"text": text, "entities": pnut_entities(adn["entities"], text)}
            if read.post_html:
                content["html"] = pnut_html(adn["html"])
            data["content"] = content
        if "annotations" in adn:
            data["raw"] = raw_from_annotations(adn["annotations"])
        if "pagination_id" in adn:
            data["pagination_id"] = adn["pagination_id"]
        return data


def messages_to_pnut(page: MessagePage) -> list[dict]:
    return PnutMessages(page).render()


def _sticky_channels(channel_ids: list[int]) -> set[int]:
    """Which of a page's channels hold a sticky message (one query)."""
    if not channel_ids:
        return set()
    rows = Message.objects.filter(channel_id__in=channel_ids, is_sticky=True, is_deleted=False)
    return set(rows.values_list("channel_id", flat=True).distinct())


def channels_to_pnut(page: ChannelPage) -> list[dict]:
    """pnut 1.x channels: the owner as ``user`` (none for a PM channel, whose members all
    stand in ``acl.write``), ``created_at``, ``has_sticky_messages``, ``is_active`` only when
    false, and the most recent message split from a deleted one."""
    messages = PnutMessages(page.messages)
    read = page.options.messages.read
    adn_pages = [page.adn(channel) for channel in page.channels]
    extras = UserExtras.load(adn_user_ids(adn_pages), read)
    messages.extras = extras
    sticky = _sticky_channels([c.pk for c in page.channels])
    rendered = []
    for channel, adn in zip(page.channels, adn_pages, strict=True):
        data: dict[str, Any] = {
            "id": adn["id"],
            "type": pnut_type(adn["type"]),
            "created_at": iso_z(channel.created_at),
        }
        write_ids = list(adn["writers"]["user_ids"])
        if channel.is_pm:
            # pnut 1.x: a PM channel has no owner; every member is a writer.
            if adn["owner"]["id"] not in write_ids:
                write_ids.insert(0, adn["owner"]["id"])
        else:
            set_user(data, adn["owner"], read, extras)
        data["counts"] = adn["counts"]
        data["acl"] = {
            "full": {k: adn["editors"][k] for k in ("immutable", "you", "user_ids")},
            "write": {
                **{k: adn["writers"][k] for k in ("any_user", "immutable", "you")},
                "user_ids": write_ids,
            },
            "read": {
                k: adn["readers"][k] for k in ("any_user", "immutable", "public", "you", "user_ids")
            },
        }
        data["has_sticky_messages"] = channel.pk in sticky
        if adn.get("is_inactive"):
            data["is_active"] = False
        if page.viewer is not None:
            data["has_unread"] = adn["has_unread"]
            data["you_subscribed"] = adn["you_subscribed"]
            data["you_muted"] = adn["you_muted"]
        recent = channel.recent_message
        if "recent_message_id" in adn:
            # 1.x: recent_message_id skips a deleted message, named recent_deleted_message_id.
            deleted = recent is not None and recent.is_deleted
            key = "recent_deleted_message" if deleted else "recent_message"
            data[f"{key}_id"] = adn["recent_message_id"]
            if "recent_message" in adn:
                message = page.recent[channel.pk]
                data[key] = messages.message(adn["recent_message"], message.is_deleted)
        if "annotations" in adn:
            data["raw"] = raw_from_annotations(adn["annotations"])
        if "marker" in adn:
            data["marker"] = adn["marker"]
        if "pagination_id" in adn:
            data["pagination_id"] = adn["pagination_id"]
        rendered.append(data)
    return rendered
