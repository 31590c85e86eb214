"""Adapters: the identity service's tables."""
