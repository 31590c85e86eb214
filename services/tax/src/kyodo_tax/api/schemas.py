"""Request and response bodies of the tax API."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.errors import InvalidInput
from kyodo_common.jobs import JOB_STATE_DESCRIPTION, JobState
from kyodo_common.web import ApiModel
from kyodo_tax.domain.facts import Disability, Widowhood
from kyodo_tax.domain.inputs import Declaration, Member, household_from_members
from kyodo_tax.domain.instalments import SwitchReason

FiscalYear = Field(ge=2000, le=2100, description="年度, e.g. 2026 for 令和8年度")


def yen(description: str) -> Any:
    """An amount in yen, 0 when not declared."""
    return Field(default=0, ge=0, le=99_999_999_999, description=description)


class ImportPublic(BaseModel):
    import_id: UUID = Field(description="the import's id")
    fiscal_year: int = Field(description="the fiscal year the 給与支払報告書 are for")
    file_sha256: str = Field(description="the SHA-256 of the file (the same file is imported once)")
    received: int = Field(description="rows in the file")
    accepted: int = Field(description="rows stored for the first time")
    unchanged: int = Field(description="rows identical to a report stored before")
    superseding: int = Field(description="rows replacing an earlier report (訂正)")
    rejected: int = Field(description="rows refused")
    problems: list[dict[str, Any]] = Field(description="{line, name, reason} per bad field")
    already_imported: bool = Field(description="this very file was imported before")
    state: JobState = Field(description=JOB_STATE_DESCRIPTION + " (a large file is imported "
                                        "by the worker)")
    done: int = Field(description="rows handled of `received`")
    progress: float = Field(description="0 to 1")
    error: str | None = Field(default=None, description="why the last attempt failed")


class MemberIn(ApiModel):
    platform_person_id: UUID | None = Field(
        default=None, description="the spouse's or dependant's person on the platform, if "
                                  "known: their own 課税証明書 then shows ＊ while they declare "
                                  "nothing (DOMAIN.md §5)")
    birth_date: date = Field(
        description="the member's date of birth (ages are taken on 31 December)")
    disability: Literal["none", "general", "special", "special_cohabiting"] = Field(
        default="none",
        description="障害者 status: none, general, special or special_cohabiting")
    cohabiting_parent: bool = Field(default=False, description="同居老親等")


class DeclarationCreate(ApiModel):
    """住民税申告: incomes besides salary reports, deductions, the household by birth dates."""

    fiscal_year: int = FiscalYear
    platform_person_id: UUID = Field(description="the person declaring (住民税申告)")
    salary_revenue: int = yen("給与収入 (salary revenue) not in a salary report, yen")
    pension_revenue: int = yen("公的年金等の収入 (public pension revenue), yen")
    other_income: int = Field(default=0, ge=0, le=99_999_999_999,
                              description="other 所得 (net), e.g. 事業所得")
    social_insurance: int = yen("社会保険料 paid (deducted in full), yen")
    other_deductions: int = Field(default=0, ge=0, le=99_999_999_999,
                                  description="生命保険料控除 etc. in resident-tax amounts")
    spouse: MemberIn | None = Field(default=None, description="the spouse (配偶者) claimed, if any")
    dependants: list[MemberIn] = Field(default_factory=list, max_length=20,
                                       description="扶養親族 (dependants) claimed")
    disability: Disability = Field(
        default=Disability.NONE,
        description="障害者 status of the taxpayer")
    widowhood: Widowhood = Field(default=Widowhood.NONE, description="寡婦 or ひとり親 status")
    working_student: bool = Field(default=False, description="勤労学生")

    def declaration(self, version: int = 0) -> Declaration:
        def member(m: MemberIn) -> Member:
            return Member(m.birth_date, m.disability, m.cohabiting_parent)

        members = [("spouse", self.spouse)] if self.spouse else []
        members += [(f"dependants.{i}", d) for i, d in enumerate(self.dependants)]
        persons: list[UUID] = []
        for where, m in members:
            if m.platform_person_id is None:
                continue
            if m.platform_person_id == self.platform_person_id or m.platform_person_id in persons:
                raise InvalidInput(f"{where}.platform_person_id",
                                   "the taxpayer, or a person named twice in the household")
            persons.append(m.platform_person_id)
        household = household_from_members(
            fiscal_year=self.fiscal_year, spouse=member(self.spouse) if self.spouse else None,
            dependants=[member(d) for d in self.dependants], disability=self.disability,
            widowhood=self.widowhood, working_student=self.working_student)
        return Declaration(version=version, salary_revenue=self.salary_revenue,
                           pension_revenue=self.pension_revenue, other_income=self.other_income,
                           social_insurance=self.social_insurance,
                           other_deductions=self.other_deductions, household=household,
                           dependant_persons=tuple(persons))


class DeclarationPublic(BaseModel):
    id: UUID = Field(description="the declaration's id")
    version: int = Field(description="the declaration's version (a new filing replaces it)")
    fiscal_year: int = Field(description="the fiscal year (年度), e.g. 2025 = 令和7年度")
    platform_person_id: UUID = Field(description="the person who declared")
    spouse: str = Field(description="the kind of spouse deduction claimed")
    dependants: dict[str, int] = Field(description="the number of dependants by kind")


class AssessmentRequest(ApiModel):
    fiscal_year: int = FiscalYear
    platform_person_id: UUID = Field(description="the person to assess")


class CollectionSwitch(ApiModel):
    reason: SwitchReason = Field(description="left_job (退職) or died (死亡)")
    on: date = Field(description="the day of leaving the job or of death")


class BulkRequest(ApiModel):
    fiscal_year: int = FiscalYear


class JobPublic(BaseModel):
    id: UUID = Field(description="the job's id")
    fiscal_year: int = Field(description="the fiscal year being assessed")
    state: JobState = Field(description=JOB_STATE_DESCRIPTION)
    total: int | None = Field(description="persons to assess, known once the job started")
    done: int = Field(description="the persons processed so far")
    progress: float = Field(description="0 to 1")
    assessed: int = Field(description="persons assessed for the first time")
    corrected: int = Field(description="persons whose assessment changed (更正)")
    unchanged: int = Field(description="persons whose assessment stayed the same")
    refused: int = Field(description="left for manual assessment (see the refusals)")
    attempts: int = Field(description="how many times the job was started (it resumes)")
    error: str | None = Field(description="what went wrong, when it failed")
    created_at: datetime = Field(description="when the job was asked for")
    started_at: datetime | None = Field(description="when work on it started")
    finished_at: datetime | None = Field(description="when it finished")

    @classmethod
    def from_row(cls, row: Any) -> JobPublic:
        total = row.total
        progress = 1.0 if row.state == "finished" else (row.cursor / total if total else 0.0)
        return cls(id=row.id, fiscal_year=row.fiscal_year, state=row.state, total=total,
                   done=row.cursor, progress=round(progress, 4), assessed=row.assessed,
                   corrected=row.corrected, unchanged=row.unchanged, refused=row.refused,
                   attempts=row.attempts, error=row.error, created_at=row.created_at,
                   started_at=row.started_at, finished_at=row.finished_at)


_DEPENDANT_NAMES = ("general", "specified", "elderly", "elderly_cohabiting", "under_16",
                    "disabled_general", "disabled_special", "disabled_special_cohabiting")


class AssessmentPublic(BaseModel):
    """One version of a person's assessment, with every step of the calculation."""

    id: UUID = Field(description="the assessment's id (all versions share it)")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    fiscal_year: int = Field(description="the fiscal year (年度), e.g. 2025 = 令和7年度")
    platform_person_id: UUID = Field(
        description="the person's id across the platform: the same in every municipality they "
                    "lived in")
    version: int = Field(description="the assessment's version: 1, then one per correction")
    kind: Literal["initial", "correction"] = Field(
        description="initial (当初賦課) or correction (更正)")
    resident_id: UUID = Field(
        description="the resident in this municipality on 1 January (賦課期日)")
    resident_number: str = Field(description="宛名番号 of the taxpayer")
    january_first: dict[str, str] = Field(description="the address at the end of 1 January")
    rules: str = Field(description="the rule set used (rules/fyYYYY.toml)")
    unverified_rules: list[str] = Field(description="rules applied that are marked unverified")
    facts: dict[str, Any] = Field(description="the inputs: incomes, household, deductions claimed")
    income: dict[str, int] = Field(description="所得 (income) by kind, yen")
    deductions: dict[str, int] = Field(description="所得控除 (deductions) by kind, yen")
    taxable_base: int = Field(description="課税標準")
    income_levy: dict[str, int] = Field(description="所得割, 調整控除 and the 人的控除差 D")
    per_capita: dict[str, int] = Field(description="均等割 and 森林環境税")
    exemption: dict[str, Any] = Field(description="非課税: N and the limits")
    designated_city: bool = Field(description="指定都市: different municipal/prefectural rates")
    total: int = Field(description="the year's tax (所得割 + 均等割 + 森林環境税), yen")
    previous_total: int | None = Field(
        description="the previous version's total; null for the first")
    difference: int | None = Field(description="total − previous_total; null for the first")
    non_taxable: bool = Field(description="非課税: neither 所得割 nor 均等割 is due")
    collection: dict[str, Any] = Field(
        description="how it is collected: 特別徴収 (payroll) or 普通徴収 (billed), with the "
                    "instalments")
    assessed_on: date = Field(description="the date of assessment")

    @classmethod
    def from_row(cls, r: Any) -> AssessmentPublic:
        instalments = r.instalments if not isinstance(r.instalments, str) \
            else json.loads(r.instalments)
        return cls(
            id=r.id, municipality_code=r.municipality_code, fiscal_year=r.fiscal_year,
            platform_person_id=r.platform_person_id, version=r.version,
            kind="initial" if r.version == 1 else "correction", resident_id=r.resident_id,
            resident_number=r.resident_number,
            january_first={"postal_code": r.january_first_postal_code,
                           "address": r.january_first_address},
            rules=r.rules, unverified_rules=list(r.unverified_rules),
            facts={"spouse": r.spouse, "dependants": dict(zip(_DEPENDANT_NAMES, r.dependants,
                                                              strict=True)),
                   "disability": r.disability, "widowhood": r.widowhood,
                   "working_student": r.working_student, "minor": r.minor,
                   "aged_65_or_over": r.aged_65_or_over},
            income={k: getattr(r, k) for k in ("salary_revenue", "salary_income",
                                                "pension_revenue", "pension_income",
                                                "other_income", "total_income")},
            deductions={k.removeprefix("deduction_"): getattr(r, k) for k in (
                "deduction_basic", "deduction_social_insurance", "deduction_spouse",
                "deduction_dependants", "deduction_disability", "deduction_widowhood",
                "deduction_working_student", "deduction_other")} | {
                "total": r.deductions_total},
            taxable_base=r.taxable_base,
            income_levy={"municipal_gross": r.income_levy_municipal_gross,
                         "prefectural_gross": r.income_levy_prefectural_gross,
                         "personal_difference": r.personal_difference,
                         "adjustment_credit_municipal": r.adjustment_credit_municipal,
                         "adjustment_credit_prefectural": r.adjustment_credit_prefectural,
                         "municipal": r.income_levy_municipal,
                         "prefectural": r.income_levy_prefectural},
            per_capita={"municipal": r.per_capita_municipal,
                        "prefectural": r.per_capita_prefectural,
                        "forest_environment_tax": r.forest_environment_tax},
            exemption={"household_size": r.household_size,
                       "per_capita_limit": r.per_capita_limit,
                       "income_levy_limit": r.income_levy_limit,
                       "personal_exemption": r.personal_exemption,
                       "per_capita_exempt": r.per_capita_exempt,
                       "income_levy_exempt": r.income_levy_exempt},
            designated_city=r.designated_city, total=r.total, previous_total=r.previous_total,
            difference=r.difference, non_taxable=r.total == 0,
            collection={"method": r.collection, "instalments": instalments,
                        "switched_on": r.switched_on, "switch_reason": r.switch_reason},
            assessed_on=r.assessed_on,
        )
