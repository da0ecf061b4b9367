"""Assertions on the error shape each dialect answers with (CONTRACT §1, §8)."""

from __future__ import annotations

from ..dialect_errors import assert_dialect_error

__all__ = ["assert_dialect_error"]
