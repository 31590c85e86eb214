"""What every use case of the tax service is given: the rule book and how to apply it."""

from __future__ import annotations

from dataclasses import dataclass

from kyodo_tax.domain.rulebook import RuleBook, load_rule_book
from kyodo_tax.settings import TaxSettings

SOURCE = "kyodo/tax"


@dataclass(frozen=True)
class TaxContext:
    rule_book: RuleBook
    allow_unverified: bool = False
    chunk_size: int = 5000
    import_sync_rows: int = 2000

    @classmethod
    def from_settings(cls, settings: TaxSettings) -> TaxContext:
        """Loads and checks every rule file: a bad file stops the process at startup."""
        return cls(rule_book=load_rule_book(), allow_unverified=settings.allow_unverified_rules,
                   chunk_size=settings.bulk_chunk_size,
                   import_sync_rows=settings.import_sync_rows)
