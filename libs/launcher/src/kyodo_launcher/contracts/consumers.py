"""Consumer expectations: what each inbox consumer reads from the events it handles, checked
against the producers' current schemas so that a producer cannot break a consumer unseen.

An expectation is declared in contracts/consumers/<consumer>.yaml and kept honest by
`recording.recorded_reads` (tests/contract/test_consumer_contracts.py).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kyodo_common.events.inbox import Subscription
from kyodo_launcher.catalogue import SERVICES, ServiceSpec
from kyodo_launcher.contracts import schemas
from kyodo_launcher.contracts.recording import handler_name, recorded_reads


@dataclass(frozen=True)
class Consumer:
    name: str  # the consumer group, e.g. certificates.read-models
    service: str
    subscriptions: tuple[Subscription[Any], ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.yaml"


def consumers(services: Iterable[ServiceSpec] = SERVICES) -> list[Consumer]:
    """Every service worker that declares CONSUMER and SUBSCRIPTIONS."""
    found = []
    for spec in services:
        try:
            worker = importlib.import_module(f"{spec.package}.worker")
        except ModuleNotFoundError as exc:
            if exc.name != f"{spec.package}.worker":
                raise
            continue  # a service without a worker consumes nothing
        name, subscriptions = getattr(worker, "CONSUMER", None), getattr(
            worker, "SUBSCRIPTIONS", None)
        if name and subscriptions:
            found.append(Consumer(name, spec.name, tuple(subscriptions)))
    return found


# -- the declared expectations ----------------------------------------------------------------


@dataclass(frozen=True)
class Reads:
    """One handler's reads from one or more event types (the same fields from each)."""

    handler: str
    events: tuple[str, ...]
    fields: Mapping[str, str]  # path → type names, e.g. "uuid | null"
    examples: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expectations:
    consumer: str
    service: str
    reads: tuple[Reads, ...]

    def for_event(self, event_type: str) -> list[Reads]:
        return [r for r in self.reads if event_type in r.events]

    def to_yaml(self) -> str:
        header = (f"# What the consumer {self.consumer} reads from each event it handles.\n"
                  "# Checked against the producers' schemas (contracts/events) and against\n"
                  "# what its handlers really read, by tests/contract/test_consumer_contracts.py.\n"
                  "# Types: uuid, date, date-time, string, integer, number, boolean, object,\n"
                  "# array, null; `a[].b` is the field b of each element of the array a.\n"
                  "# examples: values the example events need (the schema cannot say them).\n")
        body = {"consumer": self.consumer, "service": self.service, "reads": [
            {"handler": r.handler, "events": list(r.events), "fields": dict(r.fields),
             **({"examples": dict(r.examples)} if r.examples else {})} for r in self.reads]}
        text: str = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
        return header + text

    @classmethod
    def from_yaml(cls, text: str) -> Expectations:
        data = yaml.safe_load(text)
        return cls(consumer=data["consumer"], service=data["service"], reads=tuple(
            Reads(handler=r["handler"], events=tuple(r["events"]),
                  fields={str(k): str(v) for k, v in (r.get("fields") or {}).items()},
                  examples=r.get("examples") or {})
            for r in data["reads"]))


def load(directory: Path, consumer: Consumer) -> Expectations | None:
    path = directory / consumer.file_name
    return Expectations.from_yaml(path.read_text()) if path.exists() else None


# -- the check against the producers ----------------------------------------------------------


def broken_expectations(expectations: Expectations,
                        producer_schemas: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Each way the producers' current schemas (event type → JSON Schema) fail what the
    consumer declared; every message names the consumer, the event and the field."""
    problems = []
    for reads in expectations.reads:
        for event_type in reads.events:
            who = f"consumer {expectations.consumer} ({reads.handler})"
            schema = producer_schemas.get(event_type)
            if schema is None:
                problems.append(f"{who} handles {event_type}, which no producer publishes "
                                "any more")
                continue
            producer = schema.get("x-producer", "its producer")
            for path, declared in reads.fields.items():
                node = schemas.node_at(schema, path)
                if node is None:
                    problems.append(f"{who} reads {path} of {event_type}, which {producer} "
                                    "no longer sends")
                    continue
                actual = schemas.type_names(schema, node)
                expected = schemas.parse(declared)
                if "any" not in expected and not actual <= expected:
                    problems.append(
                        f"{who} reads {path} of {event_type} as {declared}, but {producer} "
                        f"now sends {schemas.describe(actual)}")
    return problems


def draft(consumer: Consumer, producer_schemas: Mapping[str, Mapping[str, Any]],
          examples: Mapping[str, Mapping[str, Any]] | None = None) -> Expectations:
    """A first expectation file for a new consumer, from what its handlers read now; to be
    reviewed (a handler may need `examples` to reach all of its code)."""
    grouped: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    for subscription in consumer.subscriptions:
        event_type = subscription.event.event_type
        schema = producer_schemas[event_type]
        given = (examples or {}).get(handler_name(subscription), {})
        paths = recorded_reads(subscription, schema, given)
        fields = tuple(sorted(
            (p, schemas.describe(schemas.type_names(schema, schemas.node_at(schema, p))))
            for p in paths))
        grouped.setdefault((handler_name(subscription), fields), []).append(event_type)
    return Expectations(consumer.name, consumer.service, tuple(
        Reads(handler=handler, events=tuple(events), fields=dict(fields),
              examples=dict((examples or {}).get(handler, {})))
        for (handler, fields), events in grouped.items()))


def subscriptions_by_handler(consumer: Consumer) -> dict[tuple[str, str], Subscription[Any]]:
    return {(handler_name(s), s.event.event_type): s for s in consumer.subscriptions}


def declared_pairs(expectations: Expectations) -> set[tuple[str, str]]:
    return {(r.handler, e) for r in expectations.reads for e in r.events}


def event_schemas_by_type(files: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The rendered event schemas (contracts/events/…) by CloudEvents type."""
    found = {}
    for path, text in files.items():
        if path.startswith("events/"):
            schema = json.loads(text)
            found[schema["x-cloudevents-type"]] = schema
    return found

