"""Reading request bodies: parsers that refuse, with a 400, the bodies DRF's own let through as
a 500, and the one check that a body is an object."""

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


def body_object(request):
    """The request body as an object (a JSON object or a form); anything else — a JSON list, a
    string — is the client's error. Every dialect reads bodies through this."""
    data = request.data
    if not hasattr(data, "get"):
        raise ParseError("The body must be a JSON object or a form.")
    return data
