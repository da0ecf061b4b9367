"""Validating App.net annotations: ``[{"type": "com.example.thing", "value": {...}}, …]``.

In core: posts, files, users (and messages) all carry annotations under the same rules."""

from __future__ import annotations

import json

from django.conf import settings

from core.errors import invalid
from core.inputs import storable_text

MAX_TYPE_LENGTH = 256


def _all_strings_storable(value) -> bool:
    stack = [value]  # iterative: annotation values nest as deep as the JSON parser allows
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not storable_text(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def validate_annotations(annotations) -> list[dict]:
    if annotations is None:
        return []
    if not isinstance(annotations, list):
        raise invalid("annotations must be a list of {type, value} objects.")
    cleaned = []
    for index, annotation in enumerate(annotations):
        if not isinstance(annotation, dict) or set(annotation) - {"type", "value"}:
            raise invalid(f"annotations[{index}] must be an object with type and value.")
        kind, value = annotation.get("type"), annotation.get("value")
        if not isinstance(kind, str) or not kind or len(kind) > MAX_TYPE_LENGTH:
            raise invalid(
                f"annotations[{index}].type must be a non-empty string of at most "
                f"{MAX_TYPE_LENGTH} characters."
            )
        if not isinstance(value, dict):
            raise invalid(f"annotations[{index}].value must be a JSON object.")
        if not _all_strings_storable(annotation):
            raise invalid(
                f"annotations[{index}] contains a NUL character or a lone surrogate, "
                "which cannot be stored."
            )
        cleaned.append({"type": kind, "value": value})
    # The limit is on the JSON as stored: UTF-8 bytes, not \u escapes (which would count an
    # emoji as 12 bytes instead of 4).
    size = len(json.dumps(cleaned, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > settings.ANNOTATION_MAX_BYTES:
        raise invalid(
            f"annotations take {size} bytes as JSON; the limit is "
            f"{settings.ANNOTATION_MAX_BYTES} bytes per post."
        )
    return cleaned
