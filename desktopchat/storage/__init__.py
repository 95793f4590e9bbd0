"""The history store: stdlib sqlite3 only; no Qt, no network."""
