"""Fixtures (placeholder until its issue lands)."""
