"""lnd-sim: an LND v0.21 REST API simulator for tests (not LND)."""
