from .block import Block
from .follow import Follow
from .mute import Mute
from .presence import Presence
from .relation_kinds import USER_RELATIONS, user_relation
from .user import User
from .visibility import visible_users

__all__ = [
    "USER_RELATIONS",
    "Block",
    "Follow",
    "Mute",
    "Presence",
    "User",
    "user_relation",
    "visible_users",
]
