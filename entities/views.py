"""``POST text/process``: what a post's text would become, without saving anything."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.request import Request

from adn_api.envelope import enveloped
from adn_api.errors import BadRequest
from adn_api.parsers import body_object
from adn_api.permissions import ANY_TOKEN
from adn_api.views import ApiView

from .core import ParsedText
from .options import EntityOptions
from .services import process_post_text


def processed_text_to_adn(parsed: ParsedText) -> dict:
    return {"text": parsed.text, "html": parsed.html, "entities": parsed.entities}


class TextProcessView(ApiView):
    """The text, html and entities a post would get; pnut routes it with its ``render``."""

    access = {"POST": ANY_TOKEN}
    render: Callable[[ParsedText], dict] = staticmethod(processed_text_to_adn)

    def post(self, request: Request):
        data = body_object(request)
        if "text" not in data:
            raise BadRequest("text is required.")
        options = EntityOptions.from_body(data, self.dialect.name)
        return enveloped(self.render(process_post_text(data.get("text"), options)))
