"""Value formats shared by every dialect."""

from datetime import UTC, datetime


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, to the second, as App.net wrote times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
