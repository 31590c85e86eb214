"""Use cases and event reactions of the certificates service."""
