"""Validating App.net annotations: ``[{"type": "com.example.thing", "value": {...}}, …]``."""

from __future__ import annotations

import json

from django.conf import settings

from adn_api.errors import BadRequest

MAX_TYPE_LENGTH = 256


def validate_annotations(annotations) -> list[dict]:
    if annotations is None:
        return []
    if not isinstance(annotations, list):
        raise BadRequest("annotations must be a list of {type, value} objects.")
    cleaned = []
    for index, annotation in enumerate(annotations):
        if not isinstance(annotation, dict) or set(annotation) - {"type", "value"}:
            raise BadRequest(f"annotations[{index}] must be an object with type and value.")
        kind, value = annotation.get("type"), annotation.get("value")
        if not isinstance(kind, str) or not kind or len(kind) > MAX_TYPE_LENGTH:
            raise BadRequest(
                f"annotations[{index}].type must be a non-empty string of at most "
                f"{MAX_TYPE_LENGTH} characters."
            )
        if not isinstance(value, dict):
            raise BadRequest(f"annotations[{index}].value must be a JSON object.")
        cleaned.append({"type": kind, "value": value})
    size = len(json.dumps(cleaned, separators=(",", ":")).encode("utf-8"))
    if size > settings.ANNOTATION_MAX_BYTES:
        raise BadRequest(
            f"annotations take {size} bytes; the limit is {settings.ANNOTATION_MAX_BYTES}."
        )
    return cleaned
