from .block import Block
from .follow import Follow
from .mute import Mute
from .presence import Presence
from .user import User
from .visibility import visible_users

__all__ = ["Block", "Follow", "Mute", "Presence", "User", "visible_users"]
