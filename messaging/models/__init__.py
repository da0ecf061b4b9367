from .acl import ChannelAcl
from .channel import Channel, ChannelMute, Subscription
from .message import Message, MessageFanOut, MessageReport, Unread

__all__ = [
    "Channel",
    "ChannelAcl",
    "ChannelMute",
    "Message",
    "MessageFanOut",
    "MessageReport",
    "Subscription",
    "Unread",
]
