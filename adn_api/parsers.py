"""Request body parsers that refuse, with a 400, the bodies DRF's own let through as a 500."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """JSON nested deeper than Python's recursion limit is a malformed request, not a crash.

    The json module raises ``RecursionError`` (not ``ValueError``) on e.g. 100,000 ``[``, which
    DRF's parser does not catch.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply.") from None
