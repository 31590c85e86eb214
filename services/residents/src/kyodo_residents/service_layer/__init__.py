"""Use cases of the residents service."""
