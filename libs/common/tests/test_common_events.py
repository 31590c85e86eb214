"""The CloudEvents envelope in Kafka binary mode."""

from __future__ import annotations

import pytest

from kyodo_common.events import Envelope


def test_an_envelope_survives_the_round_trip_through_kafka_headers() -> None:
    envelope = Envelope(type="jp.kyodo.resident.registered.v1", source="kyodo/residents",
                        subject="r-1", municipality="152048", data=b'{"a":1}',
                        traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01")
    headers = envelope.kafka_headers()
    names = [k for k, _ in headers]
    assert {"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time",
            "ce_municipality", "traceparent"} <= set(names)
    assert Envelope.from_kafka(headers, envelope.data) == envelope


def test_a_message_without_cloudevents_headers_is_refused() -> None:
    with pytest.raises(ValueError, match="ce_id"):
        Envelope.from_kafka([("ce_type", b"x"), ("ce_source", b"y"),
                             ("ce_municipality", b"152048")], b"{}")
