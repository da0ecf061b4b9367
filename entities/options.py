"""How a request body asks for its text to be processed (App.net's ``entities`` object)."""

from __future__ import annotations

from dataclasses import dataclass

from adn_api.errors import BadRequest


def flag_value(value, name: str) -> bool:
    """A boolean as JSON (true/false, 0/1) or a form ("1", "true", ...) sends it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"0", "1", "true", "false", ""}:
        return value.strip().lower() in {"1", "true"}
    raise BadRequest(f"{name} must be true or false (or 1 or 0).")


@dataclass(frozen=True)
class EntityOptions:
    links: list | None = None
    # None: the client did not say, so sending links switches link detection off.
    parse_links: bool | None = None
    parse_markdown_links: bool = False

    @classmethod
    def from_body(cls, data) -> EntityOptions:
        entities = data.get("entities")
        if entities is None:
            return cls()
        if not isinstance(entities, dict):
            raise BadRequest("entities must be an object (use JSON to send entities).")
        links = entities.get("links")
        if links is not None and not isinstance(links, list):
            raise BadRequest("entities.links must be a list.")
        parse_links = entities.get("parse_links")
        return cls(
            links=links,
            parse_links=None if parse_links is None else flag_value(parse_links, "parse_links"),
            parse_markdown_links=flag_value(
                entities.get("parse_markdown_links", False), "parse_markdown_links"
            ),
        )
