import datetime

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from psycopg import _queries, adapt, adapters
from psycopg.pq import Format

from .lookups import register


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Domain vocabulary"

    def ready(self) -> None:
        register()  # field__any=ids
        keep_long_statements()
        connection_created.connect(read_timestamps_in_c)


# What psycopg keeps of a statement's placeholders, by default 4 kB and 50 parameters.
STATEMENT_LENGTH = 32768
STATEMENT_PARAMS = 500


def keep_long_statements() -> None:
    """psycopg parses a statement's placeholders again on every execute unless the statement
    is short (``psycopg._queries``: it keeps 128). A compiled page (``core.compiled``) is longer
    (5-9 kB with its joins and flags), comes from a few dozen shapes and runs on every request:
    its parse is kept too."""
    _queries.MAX_CACHED_STATEMENT_LENGTH = STATEMENT_LENGTH
    _queries.MAX_CACHED_STATEMENT_PARAMS = STATEMENT_PARAMS


TIMESTAMPTZ = adapters.types["timestamptz"].oid


class UTCTimestampLoader(adapt.Loader):
    """psycopg's own timestamptz loader (C in its binary build), which gives UTC values in a
    session whose time zone is UTC. ``timezone`` is what Django's cursors check before they
    register a loader of their own."""

    timezone = datetime.UTC
    psycopg_loader = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)

    def __init__(self, oid: int, context: object = None):
        super().__init__(oid, context)
        self._load = self.psycopg_loader(oid, context).load

    def load(self, data: bytes) -> datetime.datetime:
        return self._load(data)


def read_timestamps_in_c(sender, connection, **kwargs) -> None:
    """Django reads timestamptz with a loader written in Python that sets each value's zone:
    8 µs a value, against half a µs for psycopg's, and a page of 20 interactions has 27. Where
    Django's zone is UTC, it sets the session's to UTC, and psycopg's values are already what
    Django's would be."""
    if connection.vendor == "postgresql" and connection.timezone is datetime.UTC:
        connection.connection.adapters.register_loader(TIMESTAMPTZ, UTCTimestampLoader)
