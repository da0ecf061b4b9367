"""How a request body asks for its text to be processed: App.net's ``entities`` object, and
pnut's, which has no client-supplied links and parses markdown links unless told not to."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import invalid
from core.inputs import flag_value


@dataclass(frozen=True)
class EntityOptions:
    links: list | None = None
    # None: the client did not say, so sending links switches link detection off.
    parse_links: bool | None = None
    parse_markdown_links: bool = False

    @classmethod
    def from_body(cls, data, dialect: str = "adn") -> EntityOptions:
        entities = data.get("entities")
        if entities is None:
            entities = {}
        if not isinstance(entities, dict):
            raise invalid("entities must be an object (use JSON to send entities).")
        links = entities.get("links") if dialect == "adn" else None
        if links is not None and not isinstance(links, list):
            raise invalid("entities.links must be a list.")
        parse_links = entities.get("parse_links")
        markdown = entities.get("parse_markdown_links", dialect == "pnut")
        return cls(
            links=links,
            parse_links=None if parse_links is None else flag_value(parse_links, "parse_links"),
            parse_markdown_links=flag_value(markdown, "parse_markdown_links"),
        )
