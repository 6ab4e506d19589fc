"""Writes of the registry app (one module per list)."""

from .enterprises import enterprise_upsert

__all__ = ["enterprise_upsert"]
