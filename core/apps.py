from django.apps import AppConfig
from psycopg import _queries

from .lookups import register


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Domain vocabulary"

    def ready(self) -> None:
        register()  # field__any=ids
        keep_long_statements()


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
