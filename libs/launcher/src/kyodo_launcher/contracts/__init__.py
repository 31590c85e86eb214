"""Contracts the platform publishes, generated from the code and committed under contracts/.

- openapi/<service>.json: each service's HTTP API;
- events/<service>/<EventType>.json: the JSON Schema of each event's data;
- asyncapi/<service>.yaml: each service's topics and messages (CloudEvents binary mode);
- consumers/<consumer>.yaml: what each consumer reads from the events it handles.

`kyodo contracts export` (or `make contracts`) rewrites the first three and drafts the file of a
consumer that has none; tests/contract compares them with the code.
"""
