"""Checks on text that every app stores."""


def storable_text(value: str) -> bool:
    """PostgreSQL stores neither NUL characters nor lone surrogates (JSON allows both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
