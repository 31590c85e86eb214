"""Consumer expectations: what each inbox consumer reads from the events it handles, checked
against the producers' current schemas so that a producer cannot break a consumer unseen.

An expectation is declared in contracts/consumers/<consumer>.yaml and kept honest by
`recorded_reads`: each handler (and the subscription's tenant function) is run on example
events built from the producer's schema, with the event wrapped so every field it touches is
noted, against a session that answers every statement with no rows. The fields it touched
must be the fields declared (tests/contract/test_consumer_contracts.py).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kyodo_common.events.envelope import Envelope
from kyodo_common.events.inbox import Subscription
from kyodo_launcher.catalogue import SERVICES, ServiceSpec
from kyodo_launcher.contracts import schemas
from kyodo_launcher.contracts.schemas import Fill

WHOLE = "(whole)"  # marks a path whose object the consumer keeps whole (model_dump)


class ExampleRefused(ValueError):
    """The producer's model refuses an example built from its schema (a validator the schema
    does not show): the consumer's file must supply that value."""


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
        except ModuleNotFoundError:
            continue
        name, subscriptions = getattr(worker, "CONSUMER", None), getattr(
            worker, "SUBSCRIPTIONS", None)
        if name and subscriptions:
            found.append(Consumer(name, spec.name, tuple(subscriptions)))
    return found


def handler_name(subscription: Subscription[Any]) -> str:
    handler = subscription.handler
    return f"{handler.__module__}.{handler.__qualname__}"


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


# -- what the handlers really read ------------------------------------------------------------


class _NoRows:
    """The result of any statement in a recording run: nothing found."""

    def first(self) -> None:
        return None

    def one_or_none(self) -> None:
        return None

    def scalar(self) -> None:
        return None

    def scalar_one_or_none(self) -> None:
        return None

    def all(self) -> list[Any]:
        return []

    def scalars(self) -> _NoRows:
        return self

    def mappings(self) -> _NoRows:
        return self

    def __iter__(self) -> Any:
        return iter(())


class _Session:
    async def execute(self, *args: Any, **kwargs: Any) -> _NoRows:
        return _NoRows()

    async def flush(self) -> None:
        return None

    def add(self, *args: Any) -> None:
        return None


class _Reading:
    """Stands for an event (or a part of it) and notes the path of every field read."""

    def __init__(self, model: BaseModel, path: str, seen: set[str]) -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name: str) -> Any:
        model: BaseModel = object.__getattribute__(self, "_model")
        path: str = object.__getattribute__(self, "_path")
        seen: set[str] = object.__getattribute__(self, "_seen")
        value = getattr(model, name)
        if name in type(model).model_fields:
            where = f"{path}.{name}" if path else name
            seen.add(where)
            return _wrap(value, where, seen)
        if name.startswith("model_dump"):
            seen.add(f"{path}{WHOLE}")
        return value


def _wrap(value: Any, path: str, seen: set[str]) -> Any:
    if isinstance(value, BaseModel):
        return _Reading(value, path, seen)
    if isinstance(value, tuple | list) and any(isinstance(v, BaseModel) for v in value):
        return type(value)(_wrap(v, f"{path}[]", seen) for v in value)
    return value


def _leaves(seen: set[str]) -> set[str]:
    """The paths read, without those only passed through on the way to a field (`residents`
    for `residents[].address`); an object kept whole stays."""
    whole = {p.removesuffix(WHOLE) for p in seen if p.endswith(WHOLE)}
    paths = {p for p in seen if not p.endswith(WHOLE)} | whole
    return {p for p in paths if p in whole or not any(
        other != p and (other.startswith(p + ".") or other.startswith(p + "["))
        for other in paths)}


def run_handler(subscription: Subscription[Any], schema: Mapping[str, Any], fill: Fill,
                examples: Mapping[str, Any]) -> set[str]:
    """The fields the subscription reads from one example event of `fill`."""
    event_cls = subscription.event
    data = schemas.example(schema, fill, examples)
    try:
        event = event_cls.model_validate(data)
    except ValidationError as exc:
        raise ExampleRefused(
            f"the {fill} example of {event_cls.event_type} is not valid ({exc.errors()[0]}): "
            f"give {handler_name(subscription)} a value for it under `examples:`") from exc
    envelope = Envelope(type=event_cls.event_type, source="contracts", subject="subject",
                        municipality="131016", data=event.model_dump_json().encode(),
                        id=str(uuid.uuid4()))
    seen: set[str] = set()
    reading = _Reading(event, "", seen)
    subscription.tenant_of(reading, envelope)
    asyncio.run(subscription.handler(_Session(), reading, envelope))  # type: ignore[arg-type]
    return seen


def recorded_reads(subscription: Subscription[Any], schema: Mapping[str, Any],
                   examples: Mapping[str, Any]) -> set[str]:
    """What the handler reads from a full and from a sparse example event."""
    seen = run_handler(subscription, schema, "full", examples)
    seen |= run_handler(subscription, schema, "sparse", examples)
    return _leaves(seen)


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

