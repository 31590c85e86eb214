"""What every use case reads besides the database: the rules and how to apply them."""

from __future__ import annotations

from dataclasses import dataclass

from kyodo_disaster.domain.rules import Rules, load_rules
from kyodo_disaster.settings import DisasterSettings

SOURCE = "kyodo/disaster"


@dataclass(frozen=True)
class DisasterContext:
    rules: Rules
    allow_unverified: bool
    job_chunk_size: int = 500
    import_sync_rows: int = 2000  # larger field-survey files: a job (survey_import_jobs)

    @classmethod
    def from_settings(cls, settings: DisasterSettings) -> DisasterContext:
        """A broken rules file stops the process at start, not at the first request."""
        return cls(rules=load_rules(settings.rules_path),
                   allow_unverified=settings.allow_unverified_rules,
                   job_chunk_size=settings.job_chunk_size,
                   import_sync_rows=settings.import_sync_rows)
