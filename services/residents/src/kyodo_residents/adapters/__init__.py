"""Adapters: the database tables of the residents service."""
