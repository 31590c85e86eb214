"""Settings of the certificates service."""

import os

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    service_name: str = Field(default="certificates", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8103, validation_alias="KYODO_PORT")
    # Seals the certificate signing keys and the issued documents at rest (a key per purpose
    # is derived from it). Comma-separated, newest first; older keys only open. Certificates'.
    sealing_keys: SecretStr | None = Field(default=None,
                                           validation_alias="KYODO_CERTIFICATES_SEALING_KEYS")
    # The platform's root CA of the PDFs' PAdES signatures (key and certificate, PEM or base64
    # of PEM); it certifies each municipality's issuing CA. Certificates' own (ADR 0014).
    root_ca: SecretStr | None = Field(default=None, validation_alias="KYODO_CERTIFICATES_ROOT_CA")
    # Where the public verification is reached: printed on each certificate and in its QR code.
    verify_base_url: str = Field(default="http://127.0.0.1:8000",
                                 validation_alias="KYODO_CERTIFICATES_VERIFY_BASE_URL")
    # The residents service, called only to print 個人番号 (never in events).
    residents_url: str = Field(default="http://127.0.0.1:8102",
                               validation_alias="KYODO_RESIDENTS_URL")
    max_copies: int = Field(default=10, validation_alias="KYODO_CERTIFICATES_MAX_COPIES")
    # A clerk issues a 住民票 right after a move-in, so this consumer waits little between
    # fetches; not the default 10 ms, though: the embedded broker's cost for a fetch that
    # returns events grows with its log (measured: a consumer at 10 ms, 0.33 ms per event on a
    # fresh topic, 0.90 after 80,000 events; at 100 ms, 0.12 and 0.43), and this consumer reads
    # every register event, and each fetch it sends wakes the broker. 50 ms keeps it about
    # 15 ms behind on average, 30 at most on a quiet broker: far less than a clerk takes to
    # ask for the copy. Against 25 ms it costs about 0.35 ms less CPU per registration at 200/s
    # (this worker 0.80–0.84 → 0.57 ms, the broker 0.92 → 0.78), which on two cores shortens
    # the requests' queueing more than it lengthens the event's way. Kafka answers a waiting
    # fetch as soon as an event arrives, so there the wait costs no latency at all.
    consumer_fetch_max_wait_ms: int = Field(
        default=50, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # 罹災証明書 requested through the disaster service: the worker is woken by NOTIFY and
    # polls as a fallback; a chunk (about 10 ms of CPU a copy) is drawn between two commits.
    job_poll_seconds: float = Field(default=2.0, gt=0,
                                    validation_alias="KYODO_CERTIFICATES_JOB_POLL_SECONDS")
    job_chunk_size: int = Field(default=50, gt=0, le=1000,
                                validation_alias="KYODO_CERTIFICATES_JOB_CHUNK_SIZE")
    # Processes that draw and PAdES-sign the PDFs (rendering/pool.py): the API's for the
    # counters, the worker's for the 罹災証明書 job; 0 draws in a thread of the process itself
    # (one core at most). Default: one per core.
    render_processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=0, le=64,
                                  validation_alias="KYODO_CERTIFICATES_RENDER_PROCESSES")
    job_render_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=0, le=64,
        validation_alias="KYODO_CERTIFICATES_JOB_RENDER_PROCESSES")
    # The job's render processes run at this niceness (0–19): the kernel gives the counters'
    # processes the CPU first and the job what is left, so a surge of 100,000 罹災証明書 does
    # not starve the other towns' counters (10: about a tenth of a core's share against one
    # busy process at 0; the whole machine when the counters are idle).
    job_nice: int = Field(default=10, ge=0, le=19, validation_alias="KYODO_CERTIFICATES_JOB_NICE")
    # Chunks of the job in flight at once (one drawn while the next is planned and the last
    # stored).
    job_chunks_in_flight: int = Field(default=2, ge=1, le=8,
                                      validation_alias="KYODO_CERTIFICATES_JOB_CHUNKS_IN_FLIGHT")
