"""Adapters: the certificates service's tables."""
