"""App.net's rendering of channels and messages, and the parsing of their request bodies.

``MessagePage`` and ``ChannelPage`` load what their rendering needs in a constant number of
queries (the users' relations to the viewer; the channels' ACLs and the viewer's
subscriptions, mutes and unread state: ``services.relations``); pnut reshapes their output
(pnut/channels.py) instead of deciding anything again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from adn_api.formats import iso_z
from files.services.annotations import expand
from places.services import annotations as place_annotations
from posts.options import ReadOptions, query_flag
from posts.serializers import NewPost
from streams.serializers import marker_data
from users.serializers import user_to_adn
from users.services.viewer import ViewerContext

from .models import Channel, ChannelAcl, Message
from .services.reading import marker_name
from .services.relations import ChannelRelations, channel_relations, marker_of

EMPTY_ENTITIES = {"mentions": [], "hashtags": [], "links": []}


@dataclass(frozen=True)
class MessageOptions:
    """The general parameters of message reads: the posts' (deleted, machine, muted, html)
    and ``include_message_annotations`` (pnut: ``include_message_raw``)."""

    read: ReadOptions = field(default_factory=ReadOptions)
    annotations: bool = False

    @classmethod
    def parse(cls, params: Mapping, dialect: str = "adn", **defaults: bool) -> MessageOptions:
        read = ReadOptions.parse(params, dialect, **defaults)
        own = "include_message_raw" if dialect == "pnut" else "include_message_annotations"
        return cls(read, read.post_annotations or query_flag(params, own, False))


@dataclass(frozen=True)
class ChannelOptions:
    """The channel general parameters (App.net's list, pnut's names where they differ)."""

    messages: MessageOptions = field(default_factory=MessageOptions)
    annotations: bool = False
    marker: bool = False
    recent_message: bool = False
    include_read: bool = True
    include_inactive: bool = False
    types: tuple[str, ...] = ()

    @classmethod
    def parse(cls, params: Mapping, dialect: str = "adn") -> ChannelOptions:
        def flag(name: str, default: bool = False) -> bool:
            return query_flag(params, name, default)

        raw = "include_raw" if dialect == "pnut" else "include_annotations"
        own = "include_channel_raw" if dialect == "pnut" else "include_channel_annotations"
        types = tuple(t.strip() for t in params.get("channel_types", "").split(",") if t.strip())
        return cls(
            messages=MessageOptions.parse(params, dialect),
            annotations=flag(raw) or flag(own),
            marker=flag("include_marker"),
            recent_message=flag("include_recent_message"),
            include_read=flag("include_read", True),
            include_inactive=flag("include_inactive"),
            types=types,
        )


def source_data(app) -> dict:
    return {
        "name": app.name if app else "API",
        "link": (app.profile.link if hasattr(app, "profile") else "")
        if app
        else settings.PUBLIC_URL,
        "client_id": app.client_id if app else "",
    }


class MessagePage:
    """Messages with their authors' relations to the viewer, loaded in one query."""

    def __init__(self, messages: list[Message], viewer, options: MessageOptions, context=None):
        self.messages = messages
        self.options = options
        self.context = context or ViewerContext.load(viewer, {m.user_id for m in messages})
        # Attached files' and places' current values, a query each for the whole page.
        self.annotations = (
            place_annotations.expand(expand({m.pk: m.annotations for m in messages}))
            if options.annotations
            else {}
        )

    def render(self) -> list[dict]:
        return [self.adn(message) for message in self.messages]

    def adn(self, message: Message) -> dict:
        options = self.options
        deleted = message.is_deleted
        data = {
            "id": str(message.pk),
            "channel_id": str(message.channel_id),
            "user": user_to_adn(message.user, self.context, include_html=options.read.user_html),
            "created_at": iso_z(message.created_at),
            "entities": EMPTY_ENTITIES if deleted else (message.entities or EMPTY_ENTITIES),
            "source": source_data(message.source),
            "reply_to": str(message.reply_to_id) if message.reply_to_id else None,
            "thread_id": str(message.thread_id or message.pk),
            "num_replies": message.num_replies,
            "machine_only": message.machine_only,
        }
        if message.is_sticky:
            data["is_sticky"] = True  # pnut's; App.net clients ignore it
        if deleted:
            data["is_deleted"] = True  # as App.net's delete example: no text, no html
        else:
            data["text"] = message.text
            if options.read.post_html:
                data["html"] = message.html
        if options.annotations:
            data["annotations"] = [] if deleted else self.annotations[message.pk]
        if pagination_id := getattr(message, "pagination_id", None):
            data["pagination_id"] = str(pagination_id)
        return data


def messages_to_adn(page: MessagePage) -> list[dict]:
    return page.render()


def _acl(
    relations: ChannelRelations,
    channel: Channel,
    role: str,
    *,
    any_user: bool,
    public: bool,
    immutable: bool,
    you: bool,
) -> dict:
    return {
        "any_user": any_user,
        "immutable": immutable,
        "public": public,
        "user_ids": [str(pk) for pk in relations.acl.get((channel.pk, role), [])],
        "you": you,
    }


class ChannelPage:
    """Channels with their ACLs, counts, the viewer's state and (when asked) their recent
    messages and markers: the page's rows come with ``recent_message`` joined and the marker
    annotated; the rest is two queries (``channel_relations``, the users' ``ViewerContext``)."""

    def __init__(
        self, channels: list[Channel], viewer, options: ChannelOptions, *, unread_counts=False
    ):
        self.channels = channels
        self.viewer = viewer
        self.options = options
        self.relations = channel_relations(
            viewer, [c.pk for c in channels], unread_counts=unread_counts
        )
        users = {c.owner_id for c in channels}
        self.recent = {}
        if options.recent_message:
            for channel in channels:
                message = channel.recent_message
                if message is not None and _readable_message(message, viewer, options):
                    self.recent[channel.pk] = message
                    users.add(message.user_id)
        context = ViewerContext.load(viewer, users)
        self.messages = MessagePage(list(self.recent.values()), viewer, options.messages, context)
        self.context = context
        self.annotations = (
            expand({c.pk: c.annotations for c in channels}) if options.annotations else {}
        )

    def render(self) -> list[dict]:
        return [self.adn(channel) for channel in self.channels]

    def roles(self, channel: Channel) -> set[str]:
        if self.viewer is None:
            return set()
        return {
            role
            for role in ChannelAcl.Role.values
            if self.viewer.pk in self.relations.acl.get((channel.pk, role), [])
        }

    def adn(self, channel: Channel) -> dict:
        viewer, rel = self.viewer, self.relations
        roles = self.roles(channel)
        signed_in = viewer is not None
        owner = signed_in and channel.owner_id == viewer.pk
        can_edit = owner or "edit" in roles
        can_write = can_edit or "write" in roles or (signed_in and channel.writers_any_user)
        can_read = (
            can_write
            or bool(roles)
            or channel.readers_public
            or (signed_in and channel.readers_any_user)
        )
        data = {
            "id": str(channel.pk),
            "type": channel.type,
            "owner": user_to_adn(
                channel.owner, self.context, include_html=self.options.messages.read.user_html
            ),
            "counts": {"messages": channel.message_count},
            "readers": _acl(
                rel,
                channel,
                "read",
                any_user=channel.readers_any_user,
                public=channel.readers_public,
                immutable=channel.readers_immutable,
                you=can_read,
            ),
            "writers": _acl(
                rel,
                channel,
                "write",
                any_user=channel.writers_any_user,
                public=False,
                immutable=channel.writers_immutable,
                you=can_write,
            ),
            "editors": _acl(
                rel,
                channel,
                "edit",
                any_user=False,
                public=False,
                immutable=channel.editors_immutable,
                you=can_edit,
            ),
            "you_can_edit": can_edit,
            "you_subscribed": channel.pk in rel.subscribed,
            "you_muted": channel.pk in rel.muted,
            "has_unread": channel.pk in rel.unread,
        }
        if can_edit:
            data["counts"]["subscribers"] = rel.subscribers.get(channel.pk, 0)
        if channel.recent_message_id:
            data["recent_message_id"] = str(channel.recent_message_id)
        if channel.pk in self.recent:
            data["recent_message"] = self.messages.adn(self.recent[channel.pk])
        if self.options.annotations:
            data["annotations"] = self.annotations[channel.pk]
        if self.options.marker and signed_in:
            data["marker"] = marker_data(marker_of(channel), marker_name(channel.pk))
        if channel.is_inactive:
            data["is_inactive"] = True
        if pagination_id := getattr(channel, "pagination_id", None):
            data["pagination_id"] = str(pagination_id)
        return data


def _readable_message(message: Message, viewer, options: ChannelOptions) -> bool:
    # App.net: the recent message "may be a deleted Message or a Message from a muted User".
    return message.user.is_active


def channels_to_adn(page: ChannelPage) -> list[dict]:
    return page.render()


def message_fields(data, dialect: str = "adn") -> dict:
    """A new message's fields as App.net or pnut clients send them: a post's body, read by the
    same parser (pnut's ``raw``, its markdown links), less what messages do not have."""
    new = NewPost.from_body(data, dialect)
    return {
        "text": new.text,
        "reply_to": new.reply_to,
        "annotations": new.annotations,
        "machine_only": new.machine_only,
        "entities": new.entities,
    }
