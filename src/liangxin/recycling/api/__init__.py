"""The recycling network over the API (token or session): sites, coverage, gaps, returns, totals.

A site or network one may not see answers 404; a write one may not make answers 403; bad input 400
with what was wrong (for an import, every bad row).
"""
