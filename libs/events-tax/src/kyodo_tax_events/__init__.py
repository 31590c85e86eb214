"""Public events of the tax service: what the certificates service needs for 課税/非課税証明書.

Each event carries the whole assessment of one person for one fiscal year (amounts, the
1 January address, incomes, deductions, the parts of 所得割 and 均等割, the total and whether
the person is non-taxable), keyed by the person so that one person's versions stay in order,
and the spouse and dependants the taxpayer declared by person with whether each declared
anything of their own (the ＊ of their certificates). My Number never travels in an event.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.tax.v1"
TOPICS = {TOPIC: 6}


class AssessedAmounts(BaseModel):
    """The figures of a 課税証明書: incomes, deductions and the tax per part."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    salary_revenue: int
    salary_income: int
    pension_revenue: int
    pension_income: int
    other_income: int
    total_income: int  # 総所得金額
    deductions_total: int  # 所得控除 合計
    taxable_base: int  # 課税標準
    income_levy_municipal: int  # 所得割 市町村民税
    income_levy_prefectural: int  # 所得割 道府県民税
    per_capita_municipal: int  # 均等割 市町村民税
    per_capita_prefectural: int  # 均等割 道府県民税
    forest_environment_tax: int  # 森林環境税
    total: int
    non_taxable: bool  # 非課税: the certificate is titled 非課税証明書
    spouse: str
    dependants: int  # 扶養親族 (including those under 16)
    dependants_under_16: int


class DependantPerson(BaseModel):
    """A spouse or dependant the taxpayer declared by person, registered in the municipality on
    1 January: their own 課税証明書 shows ＊ in the amounts when they declared nothing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform_person_id: UUID
    resident_id: UUID  # their record in this municipality
    january_first_address: str
    january_first_postal_code: str
    declared: bool  # filed a salary report or a declaration of their own for the year


class TaxAssessmentChanged(DomainEvent):
    topic: ClassVar[str] = TOPIC

    assessment_id: UUID
    municipality_code: str
    fiscal_year: int
    version: int
    platform_person_id: UUID
    resident_id: UUID | None
    resident_number: str | None
    january_first_address: str  # 1月1日現在の住所
    january_first_postal_code: str
    amounts: AssessedAmounts
    assessed_on: date
    # As of this assessment; absent from events written before it existed.
    dependant_persons: tuple[DependantPerson, ...] = ()

    @property
    def subject(self) -> str:
        return str(self.platform_person_id)


class TaxAssessed(TaxAssessmentChanged):
    """当初賦課: a person's first assessment for the fiscal year."""

    event_type: ClassVar[str] = "jp.kyodo.tax.assessed.v1"


class TaxAssessmentCorrected(TaxAssessmentChanged):
    """更正: a new version of the assessment; the difference is to pay (or to refund if < 0)."""

    event_type: ClassVar[str] = "jp.kyodo.tax.assessment_corrected.v1"

    previous_version: int
    previous_total: int
    difference: int


ALL_EVENTS: tuple[type[DomainEvent], ...] = (TaxAssessed, TaxAssessmentCorrected)
