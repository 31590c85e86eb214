"""Settings of the disaster service."""

from pathlib import Path

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class DisasterSettings(ServiceSettings):
    service_name: str = Field(default="disaster", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8105, validation_alias="KYODO_PORT")
    # Occupants are looked up when a house is surveyed, not the moment a resident moves: a
    # long wait, as tax's (large runs per fetch, little polling).
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # Another rules file (support amounts, application windows) instead of the packaged one.
    rules_path: Path | None = Field(default=None, validation_alias="KYODO_DISASTER_RULES")
    # Rules not in DOMAIN §6 (marked verified = false) give amounts only when this is set.
    allow_unverified_rules: bool = Field(
        default=False, validation_alias="KYODO_DISASTER_ALLOW_UNVERIFIED_RULES")
    # Certificate jobs: the worker is woken by NOTIFY and polls as a fallback.
    job_poll_seconds: float = Field(default=2.0, gt=0,
                                    validation_alias="KYODO_DISASTER_JOB_POLL_SECONDS")
    job_chunk_size: int = Field(default=500, gt=0,
                                validation_alias="KYODO_DISASTER_JOB_CHUNK_SIZE")
    # Field-survey files of more rows are imported by the worker, as a job with progress.
    import_sync_rows: int = Field(default=2000, gt=0,
                                  validation_alias="KYODO_DISASTER_IMPORT_SYNC_ROWS")
