"""How a process authenticates to Kafka: plaintext on one machine (`make run`, tests), TLS
and SCRAM-SHA-512 per process on Strimzi (deploy/k8s: kafka.yaml, kafka-users.yaml).

One settings class for the services' and the launcher's settings (so the environment they
read is declared once) and for the Kafka clients themselves, which build their options from
it once per process. Only the processes that reach Kafka (the workers, the migration job)
are given credentials: an API's settings may name SASL_SSL without them, and only building a
Kafka client then fails, with the variable that is missing.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Literal

from aiokafka.helpers import create_ssl_context
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


class KafkaSecurity(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    kafka_security_protocol: Protocol = Field(default="PLAINTEXT",
                                              validation_alias="KAFKA_SECURITY_PROTOCOL")
    kafka_sasl_mechanism: Mechanism = Field(default="SCRAM-SHA-512",
                                            validation_alias="KAFKA_SASL_MECHANISM")
    kafka_sasl_username: str | None = Field(default=None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: SecretStr | None = Field(default=None,
                                                  validation_alias="KAFKA_SASL_PASSWORD")
    # The cluster CA (Strimzi's <cluster>-cluster-ca-cert); unset: the system's CAs.
    kafka_ssl_cafile: str | None = Field(default=None, validation_alias="KAFKA_SSL_CAFILE")

    def kafka_client_options(self) -> dict[str, object]:
        """The aiokafka options for this protocol (none for plaintext)."""
        protocol = self.kafka_security_protocol
        if protocol == "PLAINTEXT":
            return {}
        options: dict[str, object] = {"security_protocol": protocol}
        if protocol.endswith("SSL"):
            options["ssl_context"] = _tls_context(self.kafka_ssl_cafile)
        if protocol.startswith("SASL"):
            missing = [name for name, value in (("KAFKA_SASL_USERNAME", self.kafka_sasl_username),
                                                ("KAFKA_SASL_PASSWORD", self.kafka_sasl_password))
                       if not value]
            if missing:
                raise ValueError(f"KAFKA_SECURITY_PROTOCOL={protocol} needs {', '.join(missing)}")
            assert self.kafka_sasl_password is not None
            options.update(sasl_mechanism=self.kafka_sasl_mechanism,
                           sasl_plain_username=self.kafka_sasl_username,
                           sasl_plain_password=self.kafka_sasl_password.get_secret_value())
        return options


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    context: ssl.SSLContext = create_ssl_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


@cache
def client_options() -> dict[str, object]:
    """This process's options, read from its environment once."""
    return KafkaSecurity().kafka_client_options()
