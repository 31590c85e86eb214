"""Kyodo's gateway: the only public entry, routing `/v1/municipalities/{code}/{service}/…`."""
