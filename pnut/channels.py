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

from core.errors import invalid
from messaging.options import BROADCAST, PM, PNUT_BROADCAST, PNUT_PM
from messaging.serializers import ChannelOptions, ChannelPage, MessagePage
from posts.serializers import annotations_from_raw

from .serializers import pnut_entities, pnut_html, raw_from_annotations, user_from_adn

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

    def render(self) -> list[dict]:
        return [self.message(self.page.adn(m), m.is_deleted) for m in self.page.messages]

    def message(self, adn: dict, deleted: bool) -> dict:
        read = self.options.read
        source = adn["source"]
        data: dict[str, Any] = {
            "id": adn["id"],
            "channel_id": adn["channel_id"],
            "created_at": adn["created_at"],
            "source": {"id": source["client_id"], "link": source["link"], "name": source["name"]},
            "user": user_from_adn(adn["user"], read),
            "thread_id": adn["thread_id"],
            "counts": {"replies": adn["num_replies"]},
        }
        if adn["reply_to"]:
            data["reply_to"] = adn["reply_to"]
        if adn.get("is_sticky"):
            data["is_sticky"] = True
        if deleted:
            data["is_deleted"] = True  # and no content, as for pnut posts
        else:
            content = {"text": adn["text"], "entities": pnut_entities(adn["entities"])}
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


def channels_to_pnut(page: ChannelPage) -> list[dict]:
    messages = PnutMessages(page.messages)
    read = page.options.messages.read
    rendered = []
    for channel in page.channels:
        adn = page.adn(channel)
        data: dict[str, Any] = {
            "id": adn["id"],
            "type": pnut_type(adn["type"]),
            "owner": user_from_adn(adn["owner"], read),
            "counts": adn["counts"],
            "acl": {
                "full": {k: adn["editors"][k] for k in ("immutable", "you", "user_ids")},
                "write": {
                    k: adn["writers"][k] for k in ("any_user", "immutable", "you", "user_ids")
                },
                "read": {
                    k: adn["readers"][k]
                    for k in ("any_user", "immutable", "public", "you", "user_ids")
                },
            },
            "is_active": not adn.get("is_inactive", False),
            "has_unread": adn["has_unread"],
            "you_subscribed": adn["you_subscribed"],
            "you_muted": adn["you_muted"],
        }
        if "recent_message_id" in adn:
            data["recent_message_id"] = adn["recent_message_id"]
        if "recent_message" in adn:
            message = page.recent[channel.pk]
            data["recent_message"] = messages.message(adn["recent_message"], message.is_deleted)
        if "annotations" in adn:
            data["raw"] = raw_from_annotations(adn["annotations"])
        if "marker" in adn:
            data["marker"] = adn["marker"]
        if "pagination_id" in adn:
            data["pagination_id"] = adn["pagination_id"]
        rendered.append(data)
    return rendered
