"""Settings of the tax service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class TaxSettings(ServiceSettings):
    service_name: str = Field(default="tax", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8104, validation_alias="KYODO_PORT")
    # The tax read model (residence history) is read by assessments, not at the counter: a
    # long wait (about 130 ms behind on average on the embedded broker, 250 at most) buys
    # large runs per fetch and little polling (the consumer's and the broker's CPU per event
    # about halved against 100 ms, measured at 200 registrations/s).
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # Salary-report files are larger than other requests (about 300 bytes a row).
    max_body_bytes: int = Field(default=32 * 1_048_576, validation_alias="KYODO_MAX_BODY_BYTES")
    # Rules marked unverified in a rule file are applied only when this is set; otherwise such
    # a case is refused for manual assessment. The shipped files (R3–R8) mark none: DOMAIN.md
    # verifies the R8 給与所得 table, the pension tables, the spouse tiers and the 25,000,000
    # cut-off of 調整控除.
    allow_unverified_rules: bool = Field(default=False,
                                         validation_alias="KYODO_TAX_ALLOW_UNVERIFIED_RULES")
    # Persons per transaction of a bulk assessment: the unit of progress and of resumption.
    bulk_chunk_size: int = Field(default=5000, ge=1, le=50_000,
                                 validation_alias="KYODO_TAX_BULK_CHUNK_SIZE")
    # A salary-report file of up to this many rows is imported within the request; a larger
    # one becomes a job of the worker (service_layer.imports).
    import_sync_rows: int = Field(default=2000, ge=0, le=200_000,
                                  validation_alias="KYODO_TAX_IMPORT_SYNC_ROWS")
    # How often the worker looks for bulk jobs when no notification woke it.
    job_poll_seconds: float = Field(default=2.0, gt=0,
                                    validation_alias="KYODO_TAX_JOB_POLL_SECONDS")
