"""``POST /stream/0/text/process``: what a post's text would become, without saving anything."""

from __future__ import annotations

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.permissions import ANY_TOKEN
from adn_api.views import ApiView

from .options import EntityOptions
from .services import process_post_text


def parse_body(request: Request):
    """The text and entity options of a text-processing request (JSON, as the docs require)."""
    data = request.data
    if not hasattr(data, "get"):
        raise BadRequest("The body must be a JSON object with a text field.")
    if "text" not in data:
        raise BadRequest("text is required.")
    return data.get("text"), EntityOptions.from_body(data)


class TextProcessView(ApiView):
    access = {"POST": ANY_TOKEN}

    def post(self, request: Request):
        text, options = parse_body(request)
        processed = process_post_text(text, options)
        return enveloped(
            {"text": processed.text, "html": processed.html, "entities": processed.entities}
        )
