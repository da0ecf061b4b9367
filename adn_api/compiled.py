"""Hot ORM queries built and compiled once per shape, then run again with new values.

A stream page is one ``select_related`` join with the read-time filters (blocks, mutes, directed
posts). Django spends ~8 ms of Python building and compiling it and turning rows into models on
every request, while PostgreSQL runs it, as a prepared statement, in under 1 ms. The query's shape
only changes with the request's options (filters, count, which bounds are given); its values
(the viewer, the bounds) change every time. So the queryset is built once per shape with
stand-ins for the values, compiled, and kept: a later request only puts its values in place of
the stand-ins and runs the SQL.

The stand-ins (``Slots``) are integers far below any id, so they pass through the ORM's lookups
unchanged and are found again among the compiled query's parameters. Rows become models the way
Django's own ``ModelIterable`` makes them (``from_db`` and the related-object populators), so the
results are the same model instances, ``select_related`` objects included.

Each thread keeps its own compiled queries: a compiler belongs to its thread's connection.

A list of ids is one parameter (``field__any=ids``, below) rather than ``__in``'s one per id, so
a page of 13 users and one of 40 are the same query, compiled and prepared once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import Field, ForeignObject, Lookup, Model, QuerySet
from django.db.models.query import get_related_populators

FIRST_SLOT = -(2**62)
CACHE_SIZE = 256  # shapes per thread; a stream has a few dozen in practice


class Slots:
    """Named stand-in integers: ``slots.viewer`` is the same stand-in each time it is read."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}
        self._values: dict[str, int] = {}

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._values:
            value = FIRST_SLOT - len(self._values)
            self._values[name], self._names[value] = value, name
        return self._values[name]

    def name_of(self, param: Any) -> str | None:
        return self._names.get(param) if type(param) is int else None


class CompiledQuery:
    """One shape of a query: its SQL, where each value goes, and how rows become models."""

    def __init__(self, queryset: QuerySet, slots: Slots):
        self.db = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = self.compiler.as_sql()  # also fills select and klass_info
        self.params = list(params)
        self.slots = [
            (position, name)
            for position, param in enumerate(self.params)
            if (name := slots.name_of(param)) is not None
        ]
        fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(fields)
        self.model = None
        if queryset.query.values_select:
            return  # a values_list query: its rows are the results
        klass_info, select = self.compiler.klass_info, self.compiler.select
        self.model = klass_info["model"]
        own = klass_info["select_fields"]
        self.model_columns = slice(own[0], own[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_columns]]
        self.populators = get_related_populators(klass_info, select, self.db)

    def run(self, **values: Any) -> list[Model] | list[tuple]:
        connection = connections[self.db]
        params = list(self.params)
        for position, name in self.slots:
            params[position] = id_list(values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.model is None:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.model_columns])
            for populator in self.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


_compiled = threading.local()


def compiled(key: Hashable, build: Callable[[Slots], QuerySet]) -> CompiledQuery:
    """The compiled query for ``key``, built by ``build(slots)`` the first time.

    ``key`` must name everything that changes the shape of what ``build`` makes: the same key
    must always build the same query with only the slots' values differing.
    """
    cache: dict[Hashable, CompiledQuery] = _compiled.__dict__.setdefault("cache", {})
    query = cache.get(key)
    if query is None:
        if len(cache) >= CACHE_SIZE:
            del cache[next(iter(cache))]  # the oldest shape
        slots = Slots()
        query = cache[key] = CompiledQuery(build(slots), slots)
    return query


def id_list(value: Any, connection) -> Any:
    """A list or tuple of ids as one parameter: an array for PostgreSQL, JSON text for SQLite's
    ``json_each``. Anything else (an id, a slot) is left as it is."""
    if not isinstance(value, list | tuple):
        return value
    return list(value) if connection.vendor == "postgresql" else json.dumps(list(value))


@Field.register_lookup
@ForeignObject.register_lookup
class AnyOf(Lookup):
    """``field__any=[ids]``: ``__in`` with the whole list as one parameter."""

    lookup_name = "any"
    prepare_rhs = False  # the list is not one value of the field

    def get_db_prep_lookup(self, value, connection):
        return "%s", [id_list(value, connection)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]
