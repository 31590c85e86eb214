"""Each process authenticates to Kafka as its settings say: plaintext on one machine, TLS and
SCRAM on a cluster, and a clear refusal when a credential is missing."""

from __future__ import annotations

import ssl

import pytest

from kyodo_common.events import kafka, kafka_security
from kyodo_common.events.kafka_security import KafkaSecurity
from kyodo_common.settings import ServiceSettings


def test_plaintext_by_default_adds_nothing() -> None:
    assert KafkaSecurity().kafka_client_options() == {}


async def test_sasl_ssl_gives_every_client_tls_and_scram(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "kyodo-residents-worker")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    kafka_security.client_options.cache_clear()
    try:
        options = kafka_security.client_options()
        producer = kafka.make_producer("127.0.0.1:9093")
        consumer = kafka.make_consumer("127.0.0.1:9093", "group", "topic")
    finally:
        kafka_security.client_options.cache_clear()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "kyodo-residents-worker"
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    for client in (producer.client, consumer._client):
        assert client._security_protocol == "SASL_SSL"
        assert client._sasl_mechanism == "SCRAM-SHA-512"
        assert client._ssl_context is context


def test_a_missing_credential_is_named_when_a_client_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "kyodo-tax-worker")
    # An API given the shared configuration but no credentials still starts (it reaches no
    # Kafka); a worker fails at its first client, naming the variable.
    assert ServiceSettings().kafka_security_protocol == "SASL_SSL"
    with pytest.raises(ValueError, match="KAFKA_SASL_PASSWORD"):
        KafkaSecurity().kafka_client_options()


def test_an_unknown_protocol_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "TLS")
    with pytest.raises(ValueError, match="KAFKA_SECURITY_PROTOCOL"):
        KafkaSecurity()
