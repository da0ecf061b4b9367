from .block import Block
from .follow import Follow
from .mute import Mute
from .user import User

__all__ = ["Block", "Follow", "Mute", "User"]
