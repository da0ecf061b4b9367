from .acl import ChannelAcl
from .channel import Channel, ChannelMute, Subscription
from .message import Message, MessageFanOut, Unread

__all__ = [
    "Channel",
    "ChannelAcl",
    "ChannelMute",
    "Message",
    "MessageFanOut",
    "Subscription",
    "Unread",
]
