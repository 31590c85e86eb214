"""CloudEvents 1.0 envelope in Kafka binary mode: attributes in headers, `data` as the value."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class Envelope:
    type: str
    source: str
    subject: str
    municipality: str
    data: bytes
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    traceparent: str | None = None
    tracestate: str | None = None

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        headers = [
            ("ce_specversion", SPEC_VERSION.encode()),
            ("ce_id", self.id.encode()),
            ("ce_source", self.source.encode()),
            ("ce_type", self.type.encode()),
            ("ce_subject", self.subject.encode()),
            ("ce_time", self.time.isoformat().encode()),
            ("ce_municipality", self.municipality.encode()),
            ("content-type", CONTENT_TYPE.encode()),
        ]
        if self.traceparent:
            headers.append(("traceparent", self.traceparent.encode()))
        if self.tracestate:
            headers.append(("tracestate", self.tracestate.encode()))
        return headers

    @classmethod
    def from_kafka(cls, headers: Sequence[tuple[str, bytes]], value: bytes) -> Envelope:
        """Parse a binary-mode message; raises ValueError when a required attribute is missing."""
        h = {k: v.decode() for k, v in headers}
        missing = [a for a in ("ce_id", "ce_type", "ce_source", "ce_municipality") if a not in h]
        if missing:
            raise ValueError(f"not a Kyodo CloudEvent: missing {', '.join(missing)}")
        return cls(
            id=h["ce_id"],
            type=h["ce_type"],
            source=h["ce_source"],
            subject=h.get("ce_subject", ""),
            municipality=h["ce_municipality"],
            time=datetime.fromisoformat(h["ce_time"]) if "ce_time" in h else datetime.now(UTC),
            traceparent=h.get("traceparent"),
            tracestate=h.get("tracestate"),
            data=value,
        )
