"""The trade-in JSON API: one APIView per operation (programmes.py, claims.py, public.py)."""
