"""Writes of the trade-in app, one module per area: programmes, budget, vouchers, claims, checks,
refunds (and payouts, written by the payouts work)."""
