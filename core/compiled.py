"""Hot ORM queries built and compiled once per shape, then run again with new values.

A stream page is one ``select_related`` join with the read-time filters (blocks, mutes, directed
posts). Django spends milliseconds of Python building and compiling it on every request, while
PostgreSQL runs it, as a prepared statement, in under one. Its shape changes only with the
request's options; its values (the viewer, the bounds) change every time. So the queryset is built
once per shape with stand-ins for the values (``Slots``), compiled, and kept; a later request puts
its values in place of the stand-ins and runs the SQL. Rows become models the way Django's own
``ModelIterable`` makes them (``from_db`` and the related-object populators).

What makes it safe: the key is never written by hand. ``compiled(build, **shape)`` keys the query
by the builder and the shape it is given, and the builder may not capture anything else (a
closure is refused), so two requests that share a key build the same query. Building also fails
when a stand-in was read but is not among the compiled parameters (``slots.since - 1``), when a
model query carries annotations or prefetches (which the rows would silently lose), and running
fails unless exactly the stand-ins' values are given.

Each thread keeps its own compiled queries: a compiler belongs to its thread's connection.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from .lookups import id_list

FIRST_SLOT = -(2**62)
CACHE_SIZE = 256  # shapes per thread; the streams have a few dozen in practice


class Slots:
    """Named stand-ins: ``slots.viewer`` is the same integer each time it is read, far below any
    id; ``slots.text("tag")`` is a string no client can send (it holds a NUL)."""

    def __init__(self) -> None:
        self.by_value: dict[Any, str] = {}
        self.by_name: dict[str, Any] = {}

    def _stand_in(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.by_name:
            value = make()
            self.by_name[name], self.by_value[value] = value, name
        return self.by_name[name]

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._stand_in(name, lambda: FIRST_SLOT - len(self.by_name))

    def text(self, name: str) -> str:
        # Upper case and an underscore: a builder that folds or strips it is caught below.
        return self._stand_in(name, lambda: f"\x00Slot_{name}")

    def name_of(self, param: Any) -> str | None:
        # isinstance: psycopg's Int8 (a big integer column's value) is an int.
        if isinstance(param, int | str) and not isinstance(param, bool):
            return self.by_value.get(param)
        return None


class CompileError(Exception):
    """A query that cannot be compiled safely: a programming error, found at build time."""


class CompiledQuery:
    """One shape of a query: its SQL, where each value goes, and how rows become models."""

    def __init__(self, queryset: QuerySet, slots: Slots):
        if queryset._prefetch_related_lookups:
            raise CompileError("prefetch_related runs further queries: it cannot be compiled.")
        query = queryset.query
        if query.annotations and not query.values_select and not query.combinator:
            raise CompileError("a model query's annotations would be lost: compile it without.")
        self.db = queryset.db
        self.read_model = queryset.model  # the router picks the database on each run
        self.compiler = query.get_compiler(using=self.db)
        sql, params = self.compiler.as_sql()  # also fills select and klass_info
        # Each parameter by name: a stand-in read in several places (the viewer, a page's ids)
        # is one parameter, sent and adapted once; the others keep their compiled values.
        self.params: dict[str, Any] = {}
        self.slots: dict[str, type] = {}  # name: the type a value is sent as (the stand-in's)
        names = []
        for position, param in enumerate(params):
            name = slots.name_of(param)
            if name is None:
                name = f"_{position}"
                self.params[name] = param
            else:
                self.slots[name] = type(param)
            names.append(name)
        self.sql = _named_placeholders(sql, names)
        self.names = set(self.slots)
        missing = set(slots.by_name) - self.names
        if missing:
            raise CompileError(
                f"stand-ins {sorted(missing)} were read but are not among the query's "
                "parameters: use them as they are, not changed."
            )
        fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = [
            (at, convs, expression)
            for at, (convs, expression) in self.compiler.get_converters(fields).items()
        ]
        self.model = None
        if query.values_select or query.combinator:
            return  # a values_list query: its rows are the results
        klass_info, select = self.compiler.klass_info, self.compiler.select
        self.model = klass_info["model"]
        own = klass_info["select_fields"]
        self.model_columns = slice(own[0], own[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_columns]]
        self.populators = get_related_populators(klass_info, select, self.db)

    def run(self, **values: Any) -> list[Model] | list[tuple]:
        if set(values) != self.names:
            raise CompileError(f"values for {sorted(self.names)} expected, got {sorted(values)}.")
        # Compiled once, run on whichever database the router gives this read (a replica).
        db = router.db_for_read(self.read_model)
        connection = connections[db]
        params = dict(self.params)
        for name, kind in self.slots.items():
            value = values[name]
            params[name] = kind(value) if isinstance(value, int) else id_list(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self._convert(rows)
        if self.model is None:
            return rows
        objects = []
        for row in rows:
            obj = self.model.from_db(db, self.init_list, row[self.model_columns])
            for populator in self.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def _convert(self, rows: list[tuple]) -> list[tuple]:
        """Django's converters (a JSON column's decoding…), called for the values that are not
        NULL: every converter Django has gives NULL for NULL, and a page's NULLs (the columns
        of actors it holds, a marker not set) are most of its converted columns."""
        connection, converters = self.compiler.connection, self.converters
        converted = []
        for row in rows:
            if any(row[at] is not None for at, _, _ in converters):
                row = list(row)
                for at, convs, expression in converters:
                    if (value := row[at]) is not None:
                        for convert in convs:
                            value = convert(value, expression, connection)
                        row[at] = value
                row = tuple(row)
            converted.append(row)
        return converted

    def run_replanned(self, **values: Any) -> list[Model] | list[tuple]:
        """``run``, planned by PostgreSQL for these values each time instead of once for any
        (a prepared statement's generic plan): for a query whose best plan depends on them.
        The newest posts matching a search's words are one: a common word is best found by
        walking the newest posts, a rare one through the words' index. Building and compiling
        are still saved."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self.run(**values)
        connection.ensure_connection()
        raw = connection.connection
        threshold = raw.prepare_threshold
        raw.prepare_threshold = None  # psycopg: neither prepare it nor use it prepared
        try:
            return self.run(**values)
        finally:
            raw.prepare_threshold = threshold


def _named_placeholders(sql: str, names: list[str]) -> str:
    """The compiled SQL's positional placeholders (``%s``, in order) as ``%(name)s``; a
    literal percent sign (``%%``) is left as it is."""
    parts = PLACEHOLDER.split(sql)
    if parts.count("%s") != len(names):
        raise CompileError("the SQL's placeholders do not match the query's parameters.")
    found = iter(names)
    return "".join(f"%({next(found)})s" if part == "%s" else part for part in parts)


PLACEHOLDER = re.compile(r"(%%|%s)")

_compiled = threading.local()


def compiled(build: Callable[..., QuerySet], **shape: Hashable) -> CompiledQuery:
    """The query ``build(slots, **shape)`` makes, compiled the first time this builder is asked
    for this shape. ``build`` must be a plain function: everything it depends on arrives as
    ``shape`` (which is the key) or as a stand-in (whose value each run gives)."""
    if getattr(build, "__closure__", None):
        raise CompileError(f"{build.__qualname__} captures values outside its key.")
    key = (build.__module__, build.__qualname__, tuple(sorted(shape.items())))
    cache: dict[Hashable, CompiledQuery] = _compiled.__dict__.setdefault("cache", {})
    query = cache.get(key)
    if query is None:
        if len(cache) >= CACHE_SIZE:
            del cache[next(iter(cache))]  # the oldest shape
        slots = Slots()
        query = cache[key] = CompiledQuery(build(slots, **shape), slots)
    return query
