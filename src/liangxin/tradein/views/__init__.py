"""The office pages of the trade-in app (tradein namespace) and its public pages (portal namespace)."""
