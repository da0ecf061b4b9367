from .fan_out import FanOut
from .stream_item import StreamItem
from .stream_marker import StreamMarker

__all__ = ["FanOut", "StreamItem", "StreamMarker"]
