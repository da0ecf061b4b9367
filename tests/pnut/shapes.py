"""Checking a live pnut object against the shapes taken from pnut's documentation
(``data/shapes.json``, which says where each came from and how it is written down).

Only keys and JSON types are compared: a documented key must be present unless the docs make it
optional, no undocumented key may appear, and each value must have the documented type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHAPES: dict[str, dict] = {
    name: entry["shape"]
    for name, entry in json.loads(
        (Path(__file__).parent / "data" / "shapes.json").read_text()
    ).items()
    if not name.startswith("_")
}

SCALARS = {"string": str, "integer": int, "boolean": bool}


def shape_errors(value: Any, shape: Any, path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``shape``, each as ``path: what``; empty if none."""
    if isinstance(shape, str):
        if shape.startswith("@"):
            return shape_errors(value, SHAPES[shape[1:]], path)
        if shape in ("true", "false"):  # "only set if true" / "only set if false"
            expected = shape == "true"
            return [] if value is expected else [f"{path}: {value!r} is not {shape}"]
        if shape == "raw":
            ok = isinstance(value, dict) and all(
                isinstance(items, list) and all(isinstance(i, dict) for i in items)
                for items in value.values()
            )
            return [] if ok else [f"{path}: {value!r} is not raw ({{type: [object, ...]}})"]
        kind = SCALARS[shape]
        # type(), not isinstance: a bool is an int in Python, but JSON keeps them apart.
        if type(value) is not kind:
            return [f"{path}: {type(value).__name__} where the docs say {shape}"]
        return []
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} where the docs say a list"]
        return [
            e for i, item in enumerate(value) for e in shape_errors(item, shape[0], f"{path}[{i}]")
        ]
    if not isinstance(value, dict):
        return [f"{path}: {type(value).__name__} where the docs say an object"]
    errors = []
    if list(shape) == ["*"]:
        for key, item in value.items():
            errors += shape_errors(item, shape["*"], f"{path}.{key}")
        return errors
    documented = {key.rstrip("?"): key.endswith("?") for key in shape}
    for key, optional in documented.items():
        if not optional and key not in value:
            errors.append(f"{path}.{key}: missing")
    for key, item in value.items():
        if key not in documented:
            errors.append(f"{path}.{key}: not in pnut's docs")
            continue
        spec = shape[key + "?"] if documented[key] else shape[key]
        errors += shape_errors(item, spec, f"{path}.{key}")
    return errors


def assert_shape(value: Any, name: str) -> None:
    errors = shape_errors(value, SHAPES[name])
    assert not errors, f"{name} departs from pnut's docs:\n" + "\n".join(errors)
