"""Reading App.net's query parameters."""


def flag(request, name: str, default: bool) -> bool:
    """App.net's 0/1 query flags; anything but 0/false/empty counts as true."""
    value = request.query_params.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", ""}
