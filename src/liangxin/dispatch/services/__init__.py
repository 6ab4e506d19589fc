"""Writes of the dispatch loop. Calendar and submissions live here; supervision and problems in
their own modules of this package."""
