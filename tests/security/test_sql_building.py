"""No SQL is built by string formatting: every ``.raw()``, ``.extra()``, ``RawSQL()`` and
``cursor.execute()`` in the project's own source passes its SQL as a constant, with values as
parameters. The scan reads the source with ``ast``, so a new formatted query fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "migrations", "node_modules", "__pycache__", ".git", "staticfiles"}
SQL_METHODS = {"raw", "extra", "execute", "executemany", "RawSQL"}

# (file, function) → why formatting is safe there, after reading it: only identifiers (table and
# index names from the models' ``_meta``, quoted, or a database name the test made itself) are
# formatted in, never a value; identifiers cannot be query parameters. Values go as parameters.
IDENTIFIERS_ONLY = "formats in table/index names from model _meta only; values are parameters"
ALLOWED = {
    ("streams/services/fanout.py", "_insert"): IDENTIFIERS_ONLY,
    # And a constant locking clause (FOR SHARE on PostgreSQL, nothing on SQLite).
    ("messaging/services/fanout.py", "_write_batch"): IDENTIFIERS_ONLY,
    ("streams/services/consistency.py", "_rows"): IDENTIFIERS_ONLY,
    ("streams/dedupe.py", "already_shown"): IDENTIFIERS_ONLY,
    ("streams/services/trim.py", "trim_streams"): IDENTIFIERS_ONLY,
    ("operations/services/stream_size.py", "stream_size"): IDENTIFIERS_ONLY,
    # Demo seeding: quoted table/column names; index names come from PostgreSQL's regclass text.
    **{
        ("streams/management/commands/seed_demo.py", function): IDENTIFIERS_ONLY
        for function in ("write", "set_counters", "indexes_built_after", "handle")
    },
    ("tests/operations/test_health_processes.py", "*"): "CREATE/DROP of the test's own database",
    # SQLite's FTS5 table and its triggers: the module's constant names (search/fts5.py).
    ("search/fts5.py", "ensure"): "formats in the module's constant table and trigger names",
    ("search/fts5.py", "drop"): "formats in the module's constant table and trigger names",
    # The search page's batch: the module's constant table and function names, constant
    # placeholders for the bounds, and the batch size (an int of the compiled query's shape).
    ("search/services.py", "_matching"): "formats in constant names and the shape's batch size",
}


def is_formatted(node: ast.AST) -> bool:
    """An f-string with values, ``"…" % x``, ``"…" + x`` or ``"…".format(x)``."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return any(
            isinstance(side, ast.Constant | ast.JoinedStr) and not isinstance(side.value, int)
            if isinstance(side, ast.Constant)
            else isinstance(side, ast.JoinedStr) or is_formatted(side)
            for side in (node.left, node.right)
        )
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and not _is_psycopg_composition(node.func.value)
    )


def _is_psycopg_composition(node: ast.AST) -> bool:
    """``psycopg.sql.SQL("…{}").format(Identifier(…))`` quotes what it formats in: safe."""
    return isinstance(node, ast.Call) and _called_name(node) in {"SQL", "Composed"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _enclosing_functions(tree: ast.AST) -> dict[ast.AST, str]:
    """Each node's innermost enclosing function name ("" at module level)."""
    owner: dict[ast.AST, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (
                child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else name
            )
            owner[child] = inner
            visit(child, inner)

    visit(tree, "")
    return owner


def formatted_sql_calls(source: str) -> list[tuple[int, str, str]]:
    """(line, enclosing function, expression) of each SQL call whose SQL is formatted, directly
    or through a local variable assigned a formatted string."""
    tree = ast.parse(source)
    functions = _enclosing_functions(tree)
    assigned: dict[tuple[str, str], list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    value = node.value
                    if isinstance(node, ast.AugAssign):  # sql += f"…" / sql += x
                        value = ast.BinOp(left=ast.Constant(""), op=node.op, right=node.value)
                    assigned.setdefault((functions[node], target.id), []).append(value)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node) in SQL_METHODS):
            continue
        function = functions[node]
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        for argument in arguments:
            candidates = [argument]
            if isinstance(argument, ast.Name):
                candidates += assigned.get((function, argument.id), [])
            if isinstance(argument, ast.List | ast.Tuple | ast.Dict):  # .extra(where=[…])
                candidates += [*getattr(argument, "elts", []), *getattr(argument, "values", [])]
            if any(is_formatted(candidate) for candidate in candidates):
                found.append((node.lineno, function, ast.get_source_segment(source, node) or ""))
                break
    return found


def project_sources() -> list[Path]:
    return [
        path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    ]


def test_the_scan_finds_formatted_sql_in_every_form():
    """Guards the scanner: each unsafe form is caught, the parameterised forms are not."""
    unsafe = [
        'cursor.execute(f"SELECT * FROM t WHERE id = {x}")',
        'cursor.execute("SELECT * FROM t WHERE id = %s" % x)',
        'cursor.execute("SELECT * FROM t WHERE name = \'" + name + "\'")',
        'User.objects.raw("SELECT * FROM users WHERE id = {}".format(x))',
        'Post.objects.extra(where=[f"id = {x}"])',
        'RawSQL(f"SELECT {column}", [])',
        'sql = f"DELETE FROM t WHERE id = {x}"\ncursor.execute(sql)',
    ]
    for code in unsafe:
        assert formatted_sql_calls(code), code
    safe = [
        'cursor.execute("SELECT * FROM t WHERE id = %s", [x])',
        'User.objects.raw("SELECT * FROM users WHERE id = %s", [x])',
        'cursor.execute("SELECT 1")',
        'Post.objects.extra(where=["id = %s"], params=[x])',
    ]
    for code in safe:
        assert not formatted_sql_calls(code), code


def test_no_sql_is_built_by_string_formatting():
    sources = project_sources()
    assert any(path.name == "settings.py" for path in sources)  # the scan reaches the project
    offenders = []
    for path in sources:
        relative = path.relative_to(ROOT).as_posix()
        for line, function, expression in formatted_sql_calls(path.read_text(encoding="utf-8")):
            if (relative, function) in ALLOWED or (relative, "*") in ALLOWED:
                continue
            offenders.append(f"{relative}:{line} in {function or 'module'}(): {expression}")
    assert not offenders, "SQL built by string formatting:\n" + "\n".join(offenders)
