"""HTTP API of the certificates service."""
