"""The producer-side documents: OpenAPI per service, JSON Schema per event type, AsyncAPI per
service. Built from the code alone (no database, no broker), so a test can build them too."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from kyodo_common.events.envelope import CONTENT_TYPE, Envelope
from kyodo_common.events.model import DomainEvent
from kyodo_launcher.catalogue import SERVICES, ServiceSpec

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"

# The CloudEvents attributes in Kafka headers (binary mode), as Envelope.kafka_headers writes
# them; a header the envelope gains must be described here before the document builds.
HEADER_DESCRIPTIONS = {
    "ce_specversion": "CloudEvents version (1.0)",
    "ce_id": "Event id (UUID); consumers keep it in their inbox to apply each event once",
    "ce_source": "The producing service",
    "ce_type": "Event type, versioned (…v1)",
    "ce_subject": "The aggregate id; also the Kafka message key",
    "ce_time": "When the event happened (ISO 8601)",
    "ce_municipality": "The municipality (tenant) the event belongs to",
    "content-type": "Media type of the value",
    "traceparent": "W3C trace context of the request that caused the event",
    "tracestate": "W3C trace state",
}


def openapi_document(spec: ServiceSpec) -> dict[str, Any]:
    """The service's OpenAPI document, from its FastAPI app built with default settings."""
    main = importlib.import_module(f"{spec.package}.main")
    document: dict[str, Any] = main.create_app().openapi()
    return document


def events_module(spec: ServiceSpec) -> ModuleType:
    return importlib.import_module(f"{spec.package}_events")


def event_types(spec: ServiceSpec) -> list[type[DomainEvent]]:
    """Every concrete event type of the service's `events` module, in the order defined
    (a base class without an `event_type` is not an event type)."""
    module = events_module(spec)
    return [value for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, DomainEvent)
            and value.__module__ == module.__name__
            and isinstance(getattr(value, "event_type", None), str)]


def event_schema(event: type[DomainEvent], producer: str) -> dict[str, Any]:
    """The JSON Schema of the event's data (what `model_validate_json` accepts)."""
    schema = event.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": f"urn:kyodo:event:{event.event_type}",
            "x-cloudevents-type": event.event_type, "x-kafka-topic": event.topic,
            "x-producer": producer, **schema}


def channel_id(topic: str) -> str:
    """AsyncAPI ids allow letters, digits, `_` and `-` only; the topic stays the address."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", topic)


def _headers_schema() -> dict[str, Any]:
    traced = Envelope(type="t", source="s", subject="x", municipality="m", data=b"",
                      traceparent="00-0-0-00", tracestate="k=v")
    always = {name for name, _ in Envelope(type="t", source="s", subject="x",
                                           municipality="m", data=b"").kafka_headers()}
    names = [name for name, _ in traced.kafka_headers()]
    undescribed = [n for n in names if n not in HEADER_DESCRIPTIONS]
    if undescribed:
        raise ValueError(f"describe the Kafka headers {undescribed} in HEADER_DESCRIPTIONS")
    properties: dict[str, Any] = {
        name: {"type": "string", "description": HEADER_DESCRIPTIONS[name]} for name in names}
    properties["ce_specversion"]["const"] = "1.0"
    properties["content-type"]["const"] = CONTENT_TYPE
    return {"type": "object", "properties": properties,
            "required": [n for n in names if n in always]}


def _summary(cls: type) -> str:
    return (inspect.getdoc(cls) or cls.__name__).split("\n\n")[0].replace("\n", " ")


# Where the events are, and how a client proves who it is (deploy/k8s/base/kafka.yaml,
# kafka-users.yaml; kyodo_common.events.kafka_security). Partners never get these topics:
# they carry every municipality's personal data; partners subscribe to webhooks instead.
SECURITY_SCHEMES: dict[str, Any] = {
    "scramSha512": {
        "type": "scramSha512",
        "description": "A Kafka user per process (Strimzi KafkaUser), over TLS with the "
                       "cluster CA. Its ACLs admit only the topics the process publishes or "
                       "consumes and its own consumer group.",
    },
}
SERVERS: dict[str, Any] = {
    "production": {
        "host": "kyodo-kafka-bootstrap:9093",
        "protocol": "kafka-secure",
        "description": "Apache Kafka (Strimzi) inside the platform's Kubernetes namespace; "
                       "reachable only from the workers and the migration job.",
        "security": [{"$ref": "#/components/securitySchemes/scramSha512"}],
    },
    "development": {
        "host": "127.0.0.1:59092",
        "protocol": "kafka",
        "description": "The embedded broker of `make run` (loopback only, no authentication).",
    },
}


def asyncapi_document(spec: ServiceSpec, events: Sequence[type[DomainEvent]]
                      ) -> dict[str, Any]:
    """The service's AsyncAPI 3.0 document: a channel per topic it publishes to, a message
    per event type with its CloudEvents headers, and one `send` operation per channel."""
    topics = spec.topics()
    _, definitions = models_json_schema([(cls, "validation") for cls in events],
                                        ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = {"CloudEventsHeaders": _headers_schema(),
                               **definitions.get("$defs", {})}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic, partitions in topics.items():
        cid = channel_id(topic)
        published = [cls for cls in events if cls.topic == topic]
        channels[cid] = {
            "address": topic,
            "description": f"Events of the {spec.name} service, keyed by subject.",
            "messages": {cls.__name__: {"$ref": f"#/components/messages/{cls.__name__}"}
                         for cls in published},
            "bindings": {"kafka": {"topic": topic, "partitions": partitions,
                                   "bindingVersion": KAFKA_BINDING_VERSION}},
        }
        operations[f"publish-{cid}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{cid}"},
            "summary": f"The {spec.name} outbox relay publishes here.",
            "messages": [{"$ref": f"#/channels/{cid}/messages/{cls.__name__}"}
                         for cls in published],
        }
    for cls in events:
        messages[cls.__name__] = {
            "name": cls.event_type, "title": cls.__name__, "summary": _summary(cls),
            "contentType": CONTENT_TYPE,
            "headers": {"allOf": [
                {"$ref": "#/components/schemas/CloudEventsHeaders"},
                {"type": "object", "properties": {"ce_type": {"const": cls.event_type}}}]},
            "payload": {"$ref": f"#/components/schemas/{cls.__name__}"},
            "bindings": {"kafka": {"key": {"type": "string",
                                           "description": "The event's subject"},
                                   "bindingVersion": KAFKA_BINDING_VERSION}},
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": f"Kyodo {spec.name} events", "version": "1",
                 "description": "CloudEvents 1.0 in Kafka binary mode: attributes in headers, "
                                "the event's data as the JSON value."},
        "defaultContentType": CONTENT_TYPE,
        "servers": SERVERS,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages,
                       "securitySchemes": SECURITY_SCHEMES},
    }


def dump_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def dump_yaml(document: Mapping[str, Any]) -> str:
    text: str = yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)
    return text


def render_openapi(services: Iterable[ServiceSpec] = SERVICES) -> dict[str, str]:
    """Each service's OpenAPI document: path relative to contracts/ → its text."""
    return {f"openapi/{spec.name}.json": dump_json(openapi_document(spec)) for spec in services}


def render_events(services: Iterable[ServiceSpec] = SERVICES) -> dict[str, str]:
    """Each event type's JSON Schema and each service's AsyncAPI document."""
    files: dict[str, str] = {}
    for spec in services:
        events = event_types(spec)
        for cls in events:
            files[f"events/{spec.name}/{cls.__name__}.json"] = dump_json(
                event_schema(cls, spec.name))
        files[f"asyncapi/{spec.name}.yaml"] = dump_yaml(asyncapi_document(spec, events))
    return files


def render(services: Iterable[ServiceSpec] = SERVICES) -> dict[str, str]:
    """Every producer-side document: path relative to contracts/ → its text."""
    services = tuple(services)
    return {**render_openapi(services), **render_events(services)}


GENERATED_KINDS = ("openapi", "events", "asyncapi")
