"""ARCHITECTURE.md, kept true: the domain speaks no HTTP and knows no dialect, imports nothing
inside a function, and every endpoint is one class over ``ApiView``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from adn_api.refusals import STATUS
from core.errors import Reason

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = [
    "core",
    "posts/models",
    "posts/options.py",
    "posts/services",
    "reposts/services.py",
    "streams/models",
    "streams/services",
    "streams/tasks.py",
    "streams/dedupe.py",
    "users/models",
    "users/services",
    "entities/core.py",
    "entities/detect.py",
    "entities/options.py",
    "entities/services.py",
    "messaging/models",
    "messaging/options.py",
    "messaging/services",
    "messaging/tasks.py",
    "files/models.py",
    "files/services",
    "files/tasks.py",
    "interactions/models.py",
    "interactions/services.py",
    "search/services.py",
    "search/fts5.py",
    "explore/services.py",
    "polls/models.py",
    "polls/services.py",
    "places/models.py",
    "places/services",
]
DIALECT_PACKAGES = ("rest_framework", "adn_api", "pnut", "diaspora", "web")


def domain_modules() -> list[Path]:
    found = []
    for entry in DOMAIN:
        path = ROOT / entry
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def imported(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.module, node))
    return names


@pytest.mark.parametrize("module", domain_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_no_dialect_and_nothing_inside_a_function(module):
    tree = ast.parse(module.read_text())
    for name, _ in imported(tree):
        assert name.split(".")[0] not in DIALECT_PACKAGES, f"{module} imports {name}"
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert not inner, f"{module}:{function.name} imports inside a function"


def api_views():
    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                if view is not None and issubclass(view, APIView):
                    yield view

    return sorted(set(walk(get_resolver())), key=lambda view: view.__qualname__)


@pytest.mark.parametrize("view", api_views(), ids=lambda view: f"{view.__module__}.{view.__name__}")
def test_every_endpoint_is_at_most_two_project_classes_above_drfs(view):
    project = [
        cls
        for cls in view.__mro__[: view.__mro__.index(APIView)]
        if not cls.__module__.startswith(("rest_framework", "django", "drf_spectacular"))
    ]
    assert len(project) <= 2, [cls.__qualname__ for cls in project]


def test_every_refusal_has_a_status_in_the_envelope_dialects():
    assert set(STATUS) == set(Reason)
