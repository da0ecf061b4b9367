from .block import Block
from .follow import Follow
from .mute import Mute
from .user import User
from .visibility import visible_users

__all__ = ["Block", "Follow", "Mute", "User", "visible_users"]
