"""HTTP API of identity."""
