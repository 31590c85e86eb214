"""One request's trace, exported by OTLP/HTTP from every process to a collector stand-in in
this test process: gateway → service → outbox relay → Kafka → consumer, in one trace.

The stand-in is what the OpenTelemetry Collector is to compose and Kubernetes: an HTTP server
on 127.0.0.1 that accepts `POST /v1/traces` (protobuf ExportTraceServiceRequest) and keeps the
spans, decoded with opentelemetry-proto.
"""

from __future__ import annotations

import gzip
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

from .conftest import RunningPlatform, running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
SANJO = "152048"
TOPIC = "kyodo.residents.v1"


@dataclass(frozen=True)
class ExportedSpan:
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: int
    service: str


class Collector:
    """OTLP/HTTP trace receiver (protobuf), like the collector's `otlp` receiver on :4318."""

    def __init__(self) -> None:
        self.spans: list[ExportedSpan] = []
        self.requests = 0
        self._lock = threading.Lock()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/v1/traces":
                    self.send_error(404)
                    return
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                assert self.headers.get("Content-Type") == "application/x-protobuf"
                collector.receive(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def receive(self, request: ExportTraceServiceRequest) -> None:
        found = []
        for resource_spans in request.resource_spans:
            service = next((a.value.string_value for a in resource_spans.resource.attributes
                            if a.key == "service.name"), "?")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    found.append(ExportedSpan(span.trace_id.hex(), span.span_id.hex(),
                                              span.parent_span_id.hex(), span.name,
                                              span.kind, service))
        with self._lock:
            self.requests += 1
            self.spans += found

    def trace(self, trace_id: str) -> list[ExportedSpan]:
        with self._lock:
            return [s for s in self.spans if s.trace_id == trace_id]

    def __enter__(self) -> Collector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    with Collector() as running:
        yield running


@pytest.fixture(scope="module")
def traced_platform(collector: Collector,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    var_dir: Path = tmp_path_factory.mktemp("kyodo-otlp") / "var"
    with running_platform(var_dir, OTEL_EXPORTER_OTLP_ENDPOINT=collector.endpoint) as running:
        yield running


def _ancestry(span: ExportedSpan, by_id: dict[str, ExportedSpan]) -> list[ExportedSpan]:
    """The span and its parents, up to the first parent not in the trace."""
    chain = [span]
    while chain[-1].parent_id in by_id:
        chain.append(by_id[chain[-1].parent_id])
    return chain


def test_one_request_is_one_trace_from_the_gateway_to_the_consumer(
    traced_platform: RunningPlatform, collector: Collector,
) -> None:
    token = traced_platform.login(SANJO)
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    created = httpx.post(
        f"{traced_platform.gateway}/v1/municipalities/{SANJO}/residents",
        json={"family_name": "追跡", "given_name": "一郎", "family_name_kana": "ツイセキ",
              "given_name_kana": "イチロウ", "birth_date": "1980-04-01", "sex": "male",
              "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
              "confirm_not_duplicate": True},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
                 "traceparent": f"00-{trace_id}-{client_span}-01"},
        timeout=10)
    assert created.status_code == 201, created.text

    consumer: ExportedSpan | None = None
    chain: list[ExportedSpan] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        spans = collector.trace(trace_id)
        by_id = {s.span_id: s for s in spans}
        consumers = [s for s in spans if s.name == f"{TOPIC} process"
                     and s.service == "certificates-worker"]
        if consumers:
            consumer = consumers[0]
            chain = _ancestry(consumer, by_id)
            if chain[-1].service == "gateway":
                break  # every span from the consumer up to the gateway has arrived
        time.sleep(0.25)
    assert consumer is not None, f"no consumer span: {sorted({s.service for s in spans})}"
    path = [(s.service, s.name, s.kind) for s in chain]

    gateway = chain[-1]
    assert gateway.service == "gateway" and gateway.kind == ProtoSpan.SPAN_KIND_SERVER, path
    assert gateway.parent_id == client_span, "the gateway continues the caller's trace"
    assert gateway.name == "POST /v1/municipalities/{code}/residents"
    kinds = [(s.service, s.kind) for s in reversed(chain)]
    # Root first: gateway server → residents server → … → relay producer → consumer.
    assert kinds[0] == ("gateway", ProtoSpan.SPAN_KIND_SERVER)
    assert kinds[1] == ("residents", ProtoSpan.SPAN_KIND_SERVER), path
    publish = chain[1]
    assert (publish.service, publish.name, publish.kind) == (
        "residents-worker", f"{TOPIC} publish", ProtoSpan.SPAN_KIND_PRODUCER), path
    assert consumer.parent_id == publish.span_id  # through Kafka's headers
    assert consumer.kind == ProtoSpan.SPAN_KIND_CONSUMER
    assert all(s.trace_id == trace_id for s in chain)
    # Sent by OTLP, not written to files: nothing under var/traces for this platform.
    assert not list((traced_platform.var_dir / "traces").glob("*.jsonl"))
