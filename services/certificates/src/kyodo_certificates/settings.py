"""Settings of the certificates service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    service_name: str = Field(default="certificates", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8103, validation_alias="KYODO_PORT")
    # Where the public verification is reached: printed on each certificate and in its QR code.
    verify_base_url: str = Field(default="http://127.0.0.1:8000",
                                 validation_alias="KYODO_CERTIFICATES_VERIFY_BASE_URL")
    # The residents service, called only to print 個人番号 (never in events).
    residents_url: str = Field(default="http://127.0.0.1:8102",
                               validation_alias="KYODO_RESIDENTS_URL")
    max_copies: int = Field(default=10, validation_alias="KYODO_CERTIFICATES_MAX_COPIES")
    # 罹災証明書 requested through the disaster service: the worker is woken by NOTIFY and
    # polls as a fallback; a chunk (about 10 ms of CPU a copy) is drawn between two commits.
    job_poll_seconds: float = Field(default=2.0, gt=0,
                                    validation_alias="KYODO_CERTIFICATES_JOB_POLL_SECONDS")
    job_chunk_size: int = Field(default=50, gt=0, le=1000,
                                validation_alias="KYODO_CERTIFICATES_JOB_CHUNK_SIZE")
