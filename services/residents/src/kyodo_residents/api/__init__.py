"""HTTP API of the residents service."""
