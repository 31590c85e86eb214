"""課税: the tax service's assessment events, as the certificates read model expects them.

Expected on `kyodo.tax.v1`, keyed by the assessment id, published by the municipality of the
1 January address (the levying one), one event per assessment and per correction, each with
the whole assessment after the change and a growing `version`. Amounts are integer yen.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.tax.v1"


class Income(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: str  # 給与 | 公的年金等 | 事業 | 不動産 | 雑 | …
    revenue: int | None = None  # 収入金額 (給与収入); None where the kind has none
    income: int  # 所得金額


class TaxAssessed(DomainEvent):
    """個人住民税の賦課: one person's assessment for one fiscal year (年度)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str] = "jp.kyodo.tax.assessed.v1"
    topic: ClassVar[str] = TOPIC

    assessment_id: UUID
    version: int
    municipality_code: str  # levying municipality: the 1 January address
    fiscal_year: int  # 2024 = 令和6年度 (income of calendar year 2023)
    resident_id: UUID  # the person's id in the levying municipality's register
    address_on_january_1: str
    declared: bool = True  # False: no declaration (未申告): amounts are printed as ＊
    incomes: tuple[Income, ...] = ()
    total_income: int  # 総所得金額等
    deductions: int  # 所得控除額合計
    taxable_income: int  # 課税標準額
    municipal_income_levy: int  # 市町村民税 所得割額
    prefectural_income_levy: int  # 道府県民税 所得割額
    municipal_per_capita: int  # 市町村民税 均等割額
    prefectural_per_capita: int  # 道府県民税 均等割額
    forest_env: int = 0  # 森林環境税
    total: int  # 年税額: 0 makes the certificate a 非課税証明書
    spouse_deduction: bool = False  # 控除対象配偶者
    dependants: int = 0  # 扶養親族数
    assessed_on: date
    # Set on the record of a spouse or dependant who declared nothing, derived from the
    # assessment of the taxpayer (this person) who declared them: every amount is ＊.
    dependant_of: UUID | None = None

    @property
    def subject(self) -> str:
        return str(self.assessment_id)


class TaxAssessmentCorrected(TaxAssessed):
    """更正: the assessment after a correction (the same fields, a higher version)."""

    event_type: ClassVar[str] = "jp.kyodo.tax.assessment_corrected.v1"


ALL_EVENTS = (TaxAssessed, TaxAssessmentCorrected)
