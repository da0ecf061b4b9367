from .fan_out import FanOut
from .stream_item import StreamItem
from .stream_marker import StreamMarker
from .stream_trim import StreamTrim

__all__ = ["FanOut", "StreamItem", "StreamMarker", "StreamTrim"]
