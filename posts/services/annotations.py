"""Posts' annotations follow the rules every annotated object shares (``core.annotations``)."""

from core.annotations import validate_annotations

__all__ = ["validate_annotations"]
