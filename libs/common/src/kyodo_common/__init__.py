"""Kyodo's shared library: small and boring infrastructure, no domain logic."""
