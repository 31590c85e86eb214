from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.assessment_public_kind import AssessmentPublicKind

if TYPE_CHECKING:
    from ..models.assessment_public_collection import AssessmentPublicCollection
    from ..models.assessment_public_deductions import AssessmentPublicDeductions
    from ..models.assessment_public_exemption import AssessmentPublicExemption
    from ..models.assessment_public_facts import AssessmentPublicFacts
    from ..models.assessment_public_income import AssessmentPublicIncome
    from ..models.assessment_public_income_levy import AssessmentPublicIncomeLevy
    from ..models.assessment_public_january_first import AssessmentPublicJanuaryFirst
    from ..models.assessment_public_per_capita import AssessmentPublicPerCapita


T = TypeVar("T", bound="AssessmentPublic")


@_attrs_define
class AssessmentPublic:
    """One version of a person's assessment, with every step of the calculation.

    Attributes:
        id (UUID): the assessment's id (all versions share it)
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        fiscal_year (int): the fiscal year (年度), e.g. 2025 = 令和7年度
        platform_person_id (UUID): the person's id across the platform: the same in every municipality they lived in
        version (int): the assessment's version: 1, then one per correction
        kind (AssessmentPublicKind): initial (当初賦課) or correction (更正)
        resident_id (UUID): the resident in this municipality on 1 January (賦課期日)
        resident_number (str): 宛名番号 of the taxpayer
        january_first (AssessmentPublicJanuaryFirst): the address at the end of 1 January
        rules (str): the rule set used (rules/fyYYYY.toml)
        unverified_rules (list[str]): rules applied that are marked unverified
        facts (AssessmentPublicFacts): the inputs: incomes, household, deductions claimed
        income (AssessmentPublicIncome): 所得 (income) by kind, yen
        deductions (AssessmentPublicDeductions): 所得控除 (deductions) by kind, yen
        taxable_base (int): 課税標準
        income_levy (AssessmentPublicIncomeLevy): 所得割, 調整控除 and the 人的控除差 D
        per_capita (AssessmentPublicPerCapita): 均等割 and 森林環境税
        exemption (AssessmentPublicExemption): 非課税: N and the limits
        designated_city (bool): 指定都市: different municipal/prefectural rates
        total (int): the year's tax (所得割 + 均等割 + 森林環境税), yen
        previous_total (int | None): the previous version's total; null for the first
        difference (int | None): total − previous_total; null for the first
        non_taxable (bool): 非課税: neither 所得割 nor 均等割 is due
        collection (AssessmentPublicCollection): how it is collected: 特別徴収 (payroll) or 普通徴収 (billed), with the
            instalments
        assessed_on (datetime.date): the date of assessment
    """

    id: UUID
    municipality_code: str
    fiscal_year: int
    platform_person_id: UUID
    version: int
    kind: AssessmentPublicKind
    resident_id: UUID
    resident_number: str
    january_first: AssessmentPublicJanuaryFirst
    rules: str
    unverified_rules: list[str]
    facts: AssessmentPublicFacts
    income: AssessmentPublicIncome
    deductions: AssessmentPublicDeductions
    taxable_base: int
    income_levy: AssessmentPublicIncomeLevy
    per_capita: AssessmentPublicPerCapita
    exemption: AssessmentPublicExemption
    designated_city: bool
    total: int
    previous_total: int | None
    difference: int | None
    non_taxable: bool
    collection: AssessmentPublicCollection
    assessed_on: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        municipality_code = self.municipality_code

        fiscal_year = self.fiscal_year

        platform_person_id = str(self.platform_person_id)

        version = self.version

        kind = self.kind.value

        resident_id = str(self.resident_id)

        resident_number = self.resident_number

        january_first = self.january_first.to_dict()

        rules = self.rules

        unverified_rules = self.unverified_rules

        facts = self.facts.to_dict()

        income = self.income.to_dict()

        deductions = self.deductions.to_dict()

        taxable_base = self.taxable_base

        income_levy = self.income_levy.to_dict()

        per_capita = self.per_capita.to_dict()

        exemption = self.exemption.to_dict()

        designated_city = self.designated_city

        total = self.total

        previous_total: int | None
        previous_total = self.previous_total

        difference: int | None
        difference = self.difference

        non_taxable = self.non_taxable

        collection = self.collection.to_dict()

        assessed_on = self.assessed_on.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "municipality_code": municipality_code,
                "fiscal_year": fiscal_year,
                "platform_person_id": platform_person_id,
                "version": version,
                "kind": kind,
                "resident_id": resident_id,
                "resident_number": resident_number,
                "january_first": january_first,
                "rules": rules,
                "unverified_rules": unverified_rules,
                "facts": facts,
                "income": income,
                "deductions": deductions,
                "taxable_base": taxable_base,
                "income_levy": income_levy,
                "per_capita": per_capita,
                "exemption": exemption,
                "designated_city": designated_city,
                "total": total,
                "previous_total": previous_total,
                "difference": difference,
                "non_taxable": non_taxable,
                "collection": collection,
                "assessed_on": assessed_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.assessment_public_collection import AssessmentPublicCollection
        from ..models.assessment_public_deductions import AssessmentPublicDeductions
        from ..models.assessment_public_exemption import AssessmentPublicExemption
        from ..models.assessment_public_facts import AssessmentPublicFacts
        from ..models.assessment_public_income import AssessmentPublicIncome
        from ..models.assessment_public_income_levy import AssessmentPublicIncomeLevy
        from ..models.assessment_public_january_first import (
            AssessmentPublicJanuaryFirst,
        )
        from ..models.assessment_public_per_capita import AssessmentPublicPerCapita

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        municipality_code = d.pop("municipality_code")

        fiscal_year = d.pop("fiscal_year")

        platform_person_id = UUID(d.pop("platform_person_id"))

        version = d.pop("version")

        kind = AssessmentPublicKind(d.pop("kind"))

        resident_id = UUID(d.pop("resident_id"))

        resident_number = d.pop("resident_number")

        january_first = AssessmentPublicJanuaryFirst.from_dict(d.pop("january_first"))

        rules = d.pop("rules")

        unverified_rules = cast(list[str], d.pop("unverified_rules"))

        facts = AssessmentPublicFacts.from_dict(d.pop("facts"))

        income = AssessmentPublicIncome.from_dict(d.pop("income"))

        deductions = AssessmentPublicDeductions.from_dict(d.pop("deductions"))

        taxable_base = d.pop("taxable_base")

        income_levy = AssessmentPublicIncomeLevy.from_dict(d.pop("income_levy"))

        per_capita = AssessmentPublicPerCapita.from_dict(d.pop("per_capita"))

        exemption = AssessmentPublicExemption.from_dict(d.pop("exemption"))

        designated_city = d.pop("designated_city")

        total = d.pop("total")

        def _parse_previous_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        previous_total = _parse_previous_total(d.pop("previous_total"))

        def _parse_difference(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        difference = _parse_difference(d.pop("difference"))

        non_taxable = d.pop("non_taxable")

        collection = AssessmentPublicCollection.from_dict(d.pop("collection"))

        assessed_on = datetime.date.fromisoformat(d.pop("assessed_on"))

        assessment_public = cls(
            id=id,
            municipality_code=municipality_code,
            fiscal_year=fiscal_year,
            platform_person_id=platform_person_id,
            version=version,
            kind=kind,
            resident_id=resident_id,
            resident_number=resident_number,
            january_first=january_first,
            rules=rules,
            unverified_rules=unverified_rules,
            facts=facts,
            income=income,
            deductions=deductions,
            taxable_base=taxable_base,
            income_levy=income_levy,
            per_capita=per_capita,
            exemption=exemption,
            designated_city=designated_city,
            total=total,
            previous_total=previous_total,
            difference=difference,
            non_taxable=non_taxable,
            collection=collection,
            assessed_on=assessed_on,
        )

        assessment_public.additional_properties = d
        return assessment_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
