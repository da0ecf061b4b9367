"""App.net's channel and message endpoints (and pnut's, routed with ``dialect=PNUT`` where they
are the same): thin views over messaging.services.

Scopes are App.net's: ``messages`` opens every channel, ``public_messages`` every channel but
PM channels. A PM channel asked for with only ``public_messages`` is a 403; lists leave PM
channels out for such a token.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import ApiException
from adn_api.pagination import page_meta, read_cursor
from adn_api.parsers import body_object
from adn_api.permissions import ANY_TOKEN, has_scope, user_token
from adn_api.views import ApiView
from core.errors import Reason, Refused
from core.paging import Page
from pnut import channels as pnut_channels
from posts.options import query_flag
from streams.serializers import marker_data

from . import rendered
from .models import Channel, Message
from .options import BROADCAST, PM
from .serializers import (
    ChannelOptions,
    ChannelPage,
    MessageOptions,
    MessagePage,
    channels_to_adn,
    message_fields,
    messages_to_adn,
)
from .services import channels as channel_services
from .services import messages as message_services
from .services import reading
from .services.lookup import (
    channel_to_read,
    find_own_message,
    get_channel,
    get_message,
    own_message,
)
from .services.relations import marker_of

USER = user_token()
SCOPES = ("messages", "public_messages")
# Each dialect's spelling of a page of channels and of messages (pnut reshapes App.net's).
RENDER = {
    "adn": (channels_to_adn, messages_to_adn),
    "pnut": (pnut_channels.channels_to_pnut, pnut_channels.messages_to_pnut),
}
NEEDS_MESSAGES = "PM channels need the 'messages' scope, which this token was not granted."


def viewer_of(view: ApiView):
    """The signed-in user, or None for no token or an app token."""
    auth = view.request.auth
    return view.viewer if auth is not None and auth.user is not None else None


def opens_pm(view: ApiView) -> bool:
    """Whether the token opens PM channels (``messages``). A token needs ``public_messages``
    or ``messages`` for any messaging endpoint; none (a public read) opens no PMs."""
    token = view.request.auth
    if token is None or token.user is None:
        return False  # signed out or an app token: public channels only, and no PMs
    if not any(has_scope(token, scope) for scope in SCOPES):
        raise ApiException(
            "Call requires the 'public_messages' or 'messages' scope, which this token was "
            "not granted.",
            code=403,
        )
    return has_scope(token, "messages")


def channel_for(view: ApiView, channel_id: str, find=get_channel) -> Channel:
    """The channel the URL names, if the viewer may read it (404) and the token opens it
    (403)."""
    pm_ok = opens_pm(view)
    channel = find(channel_id, viewer_of(view))
    if channel.is_pm and not pm_ok:
        raise ApiException(NEEDS_MESSAGES, code=403)
    return channel


def channel_options(view: ApiView) -> ChannelOptions:
    return pnut_channels.read_options(view.request.query_params, view.dialect.name)


def message_options(view: ApiView, **defaults: bool) -> MessageOptions:
    return MessageOptions.parse(view.request.query_params, view.dialect.name, **defaults)


def channels_data(view: ApiView, channels: list[Channel], **kwargs) -> list[dict]:
    page = ChannelPage(channels, viewer_of(view), channel_options(view), **kwargs)
    return RENDER[view.dialect.name][0](page)


def channel_data(view: ApiView, channel: Channel, fresh: bool = True) -> dict:
    """One channel as the viewer sees it; ``fresh``: read again after a change."""
    if fresh:
        channel = Channel.objects.for_rendering(viewer_of(view)).get(pk=channel.pk)
    return channels_data(view, [channel])[0]


def messages_data(view: ApiView, messages: list[Message], options=None) -> list[dict]:
    page = MessagePage(messages, viewer_of(view), options or message_options(view))
    return RENDER[view.dialect.name][1](page)


def channels_page(view: ApiView, result: Page, **kwargs):
    return enveloped(
        channels_data(view, result.items, **kwargs), page_meta(result.items, result.more)
    )


def messages_page(view: ApiView, result: Page, options: MessageOptions, meta=None):
    data = messages_data(view, result.items, options)
    return enveloped(data, {**page_meta(result.items, result.more), **(meta or {})})


class ChannelCollectionView(ApiView):
    """``GET channels``: the viewer's subscribed channels, an inbox (``ids=``: those channels,
    for any token); ``POST channels`` creates one (pnut answers 201)."""

    access = {"GET": ANY_TOKEN, "POST": USER}
    created_status = 200
    subscribed_only = False  # pnut: users/me/channels/subscribed takes no ids

    def get(self, request: Request):
        ids = request.query_params.get("ids")
        if ids is not None and not self.subscribed_only:
            found = reading.channels_by_ids(viewer_of(self), ids, include_pm=opens_pm(self))
            return enveloped(channels_data(self, found))
        if viewer_of(self) is None:
            raise ApiException("Call requires a user token; an app token was given.", code=403)
        options = channel_options(self)
        result = reading.subscribed_channels(
            self.viewer,
            read_cursor(request),
            types=list(options.types) or None,
            include_read=options.include_read,
            include_pm=opens_pm(self),
        )
        page = ChannelPage(result.items, self.viewer, options, unread_counts=True)
        meta = page_meta(result.items, result.more)
        meta["unread_counts"] = pnut_channels.unread_counts(
            {kind: page.relations.unread_counts.get(kind, 0) for kind in (PM, BROADCAST)},
            self.dialect.name,
        )
        return enveloped(RENDER[self.dialect.name][0](page), meta)

    def post(self, request: Request):
        opens_pm(self)
        fields = pnut_channels.channel_fields(body_object(request), self.dialect.name)
        channel = channel_services.create_channel(self.viewer, **fields)
        return enveloped(channel_data(self, channel), status=self.created_status)


class ChannelView(ApiView):
    """One channel: read (any token, or none for a public channel), update (PUT or PATCH:
    annotations and mutable ACLs, editors only), deactivate (DELETE, the owner only)."""

    access = {"GET": ANY_TOKEN, "PUT": USER, "PATCH": USER, "DELETE": USER}

    def get(self, request: Request, channel_id: str):
        return enveloped(channel_data(self, channel_for(self, channel_id), fresh=False))

    def put(self, request: Request, channel_id: str):
        channel = channel_for(self, channel_id)
        fields = pnut_channels.channel_fields(body_object(request), self.dialect.name)
        fields.pop("type", None)
        channel = channel_services.update_channel(self.viewer, channel, **fields)
        return enveloped(channel_data(self, channel))

    patch = put

    def delete(self, request: Request, channel_id: str):
        channel = channel_services.deactivate_channel(self.viewer, channel_for(self, channel_id))
        return enveloped(channel_data(self, channel))


class OwnedChannelsView(ApiView):
    """``users/me/channels``: the channels the viewer created, newest first."""

    access = {"GET": USER}

    def get(self, request: Request):
        result = reading.owned_channels(
            self.viewer, read_cursor(request), include_pm=opens_pm(self)
        )
        return channels_page(self, result)


class MutedChannelsView(ApiView):
    """``users/me/channels/muted`` (not paginated, App.net's rule)."""

    access = {"GET": USER}

    def get(self, request: Request):
        return enveloped(
            channels_data(self, reading.muted_channels(self.viewer, include_pm=opens_pm(self)))
        )


class NumUnreadView(ApiView):
    """How many channels of ``kind`` have unread messages; DELETE (broadcast) marks them all
    read. pnut also takes ``?channel_types=`` on ``users/me/channels/num_unread``."""

    access = {"GET": user_token("messages"), "DELETE": user_token("messages")}
    kind = PM

    def kinds(self) -> list[str]:
        given = self.request.query_params.get("channel_types")
        if given:
            return [pnut_channels.adn_type(t.strip()) for t in given.split(",") if t.strip()]
        return [self.kind]

    def get(self, request: Request):
        return enveloped(sum(reading.num_unread(self.viewer, kind) for kind in self.kinds()))

    def delete(self, request: Request):
        for kind in self.kinds():
            reading.mark_all_read(self.viewer, kind)
        return enveloped(0)


class SubscribeView(ApiView):
    """Subscribe (App.net POSTs, pnut PUTs) and unsubscribe (DELETE); both answer with the
    channel."""

    access = {"POST": USER, "PUT": USER, "DELETE": USER}
    http_method_names = ["post", "delete", "options"]
    create = staticmethod(channel_services.subscribe)
    remove = staticmethod(channel_services.unsubscribe)

    def post(self, request: Request, channel_id: str):
        return enveloped(
            channel_data(self, self.create(self.viewer, channel_for(self, channel_id)))
        )

    put = post

    def delete(self, request: Request, channel_id: str):
        return enveloped(
            channel_data(self, self.remove(self.viewer, channel_for(self, channel_id)))
        )


class SubscribersView(ApiView):
    """The users subscribed to a channel, newest subscription first."""

    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, channel_id: str):
        channel = channel_for(self, channel_id)
        return self.users_page(reading.subscriber_rows(viewer_of(self), channel))


class SubscriberIdsView(ApiView):
    """``channels/{id}/subscribers/ids``, or for many channels ``channels/subscribers/ids?ids=``
    (``{channel id: [user ids]}``; channels one may not read are left out)."""

    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, channel_id: str | None = None):
        if channel_id is not None:
            channel = channel_for(self, channel_id)
            return enveloped(reading.subscriber_ids(viewer_of(self), [channel])[channel.pk])
        channels = reading.channels_by_ids(
            viewer_of(self), request.query_params.get("ids"), include_pm=opens_pm(self)
        )
        found = reading.subscriber_ids(viewer_of(self), channels)
        return enveloped({str(pk): ids for pk, ids in found.items()})


class MessagesView(ApiView):
    """A channel's messages, newest first with its ``channel:ID`` marker in ``meta``; POST
    sends one (to ``pm``: the PM channel of the ``destinations``; pnut answers 201)."""

    access = {"GET": ANY_TOKEN, "POST": USER}
    created_status = 200
    marks_channel = False  # pnut's update_marker=1: the channel's marker moves to the message

    def get(self, request: Request, channel_id: str):
        """Chat clients poll it: the channel and its page's ids and versions are one query, and
        its messages come from the rendered-message cache (messaging/rendered.py), unless the
        options show more than the rows."""
        pm_ok = opens_pm(self)
        options = message_options(self)
        if not rendered.cached(self.dialect, options):
            channel = channel_for(self, channel_id, channel_to_read)
            result = reading.channel_messages(
                viewer_of(self), channel, options.read.filters, read_cursor(request)
            )
            return messages_page(self, result, options, self.marker_meta(channel))
        channel, result, context = reading.channel_page(
            channel_id, viewer_of(self), options.read.filters, read_cursor(request)
        )
        if channel.is_pm and not pm_ok:
            raise ApiException(NEEDS_MESSAGES, code=403)
        data = rendered.render_page(self.dialect, result.items, context, options)
        meta = {**page_meta(result.items, result.more), **self.marker_meta(channel)}
        return enveloped(data, meta)

    def marker_meta(self, channel: Channel) -> dict:
        if viewer_of(self) is None:
            return {}
        return {"marker": marker_data(marker_of(channel), reading.marker_name(channel.pk))}

    def post(self, request: Request, channel_id: str):
        pm_ok = opens_pm(self)
        data = body_object(request)
        fields = message_fields(data, self.dialect.name)
        mark = self.marks_channel and query_flag(request.query_params, "update_marker", False)
        with transaction.atomic():
            if channel_id == "pm":
                if not pm_ok:
                    raise ApiException(NEEDS_MESSAGES, code=403)
                message = message_services.send_pm(
                    self.viewer, data.get("destinations"), source=self.source(), **fields
                )
            else:
                channel = channel_for(self, channel_id)
                message = message_services.post_message(
                    self.viewer, channel, source=self.source(), **fields
                )
            if mark:
                item = {"name": reading.marker_name(message.channel_id), "id": str(message.pk)}
                reading.update_markers(self.viewer, [item], reset_read_id=False)
        fresh = Message.objects.for_rendering().get(pk=message.pk)
        return enveloped(messages_data(self, [fresh])[0], status=self.created_status)


class MessageView(ApiView):
    """One message (one's own always, App.net's rule); DELETE deletes one's own and answers
    with it, ``is_deleted``."""

    access = {"GET": ANY_TOKEN, "DELETE": USER}

    def get(self, request: Request, channel_id: str, message_id: str):
        opens_pm(self)
        viewer = viewer_of(self)
        options = message_options(self, include_machine=True, include_muted=True)
        try:
            channel = channel_for(self, channel_id)
        except Refused as refusal:
            # One's own message, in a channel one can no longer read, is still one's own.
            own = find_own_message(viewer, channel_id, message_id) if viewer else None
            if refusal.reason is not Reason.NOT_FOUND or own is None:
                raise
            return enveloped(messages_data(self, [own], options)[0])
        message = get_message(channel, message_id, viewer, options.read.filters)
        return enveloped(messages_data(self, [message], options)[0])

    def delete(self, request: Request, channel_id: str, message_id: str):
        pm_ok = opens_pm(self)
        message = own_message(self.viewer, channel_id, message_id)
        if message.channel.is_pm and not pm_ok:
            raise ApiException(NEEDS_MESSAGES, code=403)
        deleted = message_services.delete_message(self.viewer, message)
        return enveloped(messages_data(self, [deleted])[0])


class MessageCollectionView(ApiView):
    """``channels/messages?ids=``: messages by id, from any channels one may read."""

    access = {"GET": ANY_TOKEN}

    def get(self, request: Request):
        options = message_options(self)
        found = reading.messages_by_ids(
            viewer_of(self),
            request.query_params.get("ids"),
            options.read.filters,
            include_pm=opens_pm(self),
        )
        return enveloped(messages_data(self, found, options))


class UserMessagesView(ApiView):
    """``users/me/messages``: the messages the viewer wrote, newest first."""

    access = {"GET": USER}

    def get(self, request: Request):
        options = message_options(self)
        result = reading.user_messages(
            self.viewer, options.read.filters, read_cursor(request), include_pm=opens_pm(self)
        )
        return messages_page(self, result, options)


class ExistingPmView(ApiView):
    """pnut's ``users/me/channels/existing_pm?ids=``: the PM channel among the viewer and
    exactly those users (404 if there is none)."""

    access = {"GET": user_token("messages")}

    def get(self, request: Request):
        ids = request.query_params.get("ids", "")
        destinations = [part.strip() for part in ids.split(",") if part.strip()]
        channel = message_services.find_pm(self.viewer, destinations)
        if channel is None:
            raise ApiException("There is no PM channel among exactly those users.", code=404)
        return enveloped(channel_data(self, channel))


class ChannelSearchView(ApiView):
    """``channels/search``: channels the viewer may read, by ``type``, ``creator_id`` and
    ``q`` (in the ``net.app.core.channel.info`` name or description), newest first."""

    access = {"GET": ANY_TOKEN}

    def get(self, request: Request):
        params = request.query_params
        result = reading.search_channels(
            viewer_of(self),
            read_cursor(request),
            q=params.get("q", ""),
            types=[pnut_channels.adn_type(t) for t in params.get("type", "").split(",") if t],
            creator=params.get("creator_id"),
            include_pm=opens_pm(self),
            include_inactive=query_flag(params, "include_inactive", False),
        )
        return channels_page(self, result)


class MessageSearchView(ApiView):
    """``channels/messages/search``: messages in readable channels whose text holds ``query``
    (pnut: ``q``), newest first; ``channel_ids`` narrows it."""

    access = {"GET": USER}

    def get(self, request: Request):
        params = request.query_params
        options = message_options(self)
        result = reading.search_messages(
            self.viewer,
            options.read.filters,
            read_cursor(request),
            q=params.get("query", params.get("q", "")),
            channel_ids=params.get("channel_ids"),
            include_pm=opens_pm(self),
        )
        return messages_page(self, result, options)


class StickyMessagesView(ApiView):
    """pnut's ``channels/{id}/sticky_messages``: the channel's sticky messages, newest first."""

    access = {"GET": ANY_TOKEN}

    def get(self, request: Request, channel_id: str):
        channel = channel_for(self, channel_id)
        options = message_options(self)
        result = reading.sticky_messages(
            viewer_of(self), channel, options.read.filters, read_cursor(request)
        )
        return messages_page(self, result, options)


class ThreadView(ApiView):
    """pnut's ``channels/{id}/messages/{id}/thread`` (a user token): the messages of that
    message's thread, newest first."""

    access = {"GET": user_token("messages")}

    def get(self, request: Request, channel_id: str, message_id: str):
        channel = channel_for(self, channel_id)
        message = get_message(channel, message_id, self.viewer)
        options = message_options(self)
        result = reading.thread_messages(
            self.viewer, message, options.read.filters, read_cursor(request)
        )
        return messages_page(self, result, options)


class StickyView(ApiView):
    """pnut's ``PUT/DELETE channels/{id}/messages/{id}/sticky`` (editors): the message."""

    access = {"PUT": USER, "DELETE": USER}

    def put(self, request: Request, channel_id: str, message_id: str, sticky: bool = True):
        channel = channel_for(self, channel_id)
        message = get_message(channel, message_id, self.viewer)
        return enveloped(
            messages_data(self, [message_services.set_sticky(self.viewer, message, sticky)])[0]
        )

    def delete(self, request: Request, channel_id: str, message_id: str):
        return self.put(request, channel_id, message_id, sticky=False)
