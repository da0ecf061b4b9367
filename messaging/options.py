"""The channel types the server treats specially, and the limits of the messaging family."""

from __future__ import annotations

PM = "net.app.core.pm"
BROADCAST = "net.app.core.broadcast"
PNUT_PM = "io.pnut.core.pm"
PNUT_BROADCAST = "io.pnut.core.broadcast"
# App.net's message limit (pnut's too), in code points.
MESSAGE_TEXT_MAX_LENGTH = 2048
# An ACL's user_ids (and a PM's destinations) hold at most this many users (App.net).
MAX_ACL_USERS = 200
MAX_TYPE_LENGTH = 255
