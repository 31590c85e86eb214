"""The partners' AsyncAPI document (contracts/webhooks/asyncapi.yaml) is valid AsyncAPI 3.0,
is what the code generates, and names every event type a partner may subscribe to."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from kyodo_webhooks import asyncapi
from kyodo_webhooks.domain.catalogue import PING, TYPES

COMMITTED = Path(__file__).resolve().parents[2] / "contracts/webhooks/asyncapi.yaml"


def test_the_committed_document_is_what_the_code_generates() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == asyncapi.dump(), (
        "regenerate: python -m kyodo_webhooks.asyncapi > contracts/webhooks/asyncapi.yaml")


def test_it_is_valid_asyncapi_and_names_every_subscribable_type() -> None:
    schema = json.loads((Path(__file__).parent / "schemas/asyncapi-3.0.0.json").read_text())
    document = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message[:200]}"
              for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
    assert not errors, errors
    names = {m["name"] for m in document["components"]["messages"].values()}
    assert names == set(TYPES) | {PING}
    for message in document["components"]["messages"].values():
        properties = message["payload"]["properties"]
        assert set(properties) == {"specversion", "id", "type", "source", "subject", "time",
                                   "municipality"}, "no personal data: nothing else is sent"
