from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.disability import Disability
from ..models.widowhood import Widowhood
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_in import MemberIn


T = TypeVar("T", bound="DeclarationCreate")


@_attrs_define
class DeclarationCreate:
    """住民税申告: incomes besides salary reports, deductions, the household by birth dates.

    Attributes:
        fiscal_year (int): 年度, e.g. 2026 for 令和8年度
        platform_person_id (UUID): the person declaring (住民税申告)
        salary_revenue (int | Unset): 給与収入 (salary revenue) not in a salary report, yen Default: 0.
        pension_revenue (int | Unset): 公的年金等の収入 (public pension revenue), yen Default: 0.
        other_income (int | Unset): other 所得 (net), e.g. 事業所得 Default: 0.
        social_insurance (int | Unset): 社会保険料 paid (deducted in full), yen Default: 0.
        other_deductions (int | Unset): 生命保険料控除 etc. in resident-tax amounts Default: 0.
        spouse (MemberIn | None | Unset): the spouse (配偶者) claimed, if any
        dependants (list[MemberIn] | Unset): 扶養親族 (dependants) claimed
        disability (Disability | Unset): The taxpayer's own 障害者 status.
        widowhood (Widowhood | Unset): 寡婦 / ひとり親 (the 調整控除 difference of ひとり親 depends on the parent's sex).
        working_student (bool | Unset): 勤労学生 Default: False.
    """

    fiscal_year: int
    platform_person_id: UUID
    salary_revenue: int | Unset = 0
    pension_revenue: int | Unset = 0
    other_income: int | Unset = 0
    social_insurance: int | Unset = 0
    other_deductions: int | Unset = 0
    spouse: MemberIn | None | Unset = UNSET
    dependants: list[MemberIn] | Unset = UNSET
    disability: Disability | Unset = UNSET
    widowhood: Widowhood | Unset = UNSET
    working_student: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.member_in import MemberIn

        fiscal_year = self.fiscal_year

        platform_person_id = str(self.platform_person_id)

        salary_revenue = self.salary_revenue

        pension_revenue = self.pension_revenue

        other_income = self.other_income

        social_insurance = self.social_insurance

        other_deductions = self.other_deductions

        spouse: dict[str, Any] | None | Unset
        if isinstance(self.spouse, Unset):
            spouse = UNSET
        elif isinstance(self.spouse, MemberIn):
            spouse = self.spouse.to_dict()
        else:
            spouse = self.spouse

        dependants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.dependants, Unset):
            dependants = []
            for dependants_item_data in self.dependants:
                dependants_item = dependants_item_data.to_dict()
                dependants.append(dependants_item)

        disability: str | Unset = UNSET
        if not isinstance(self.disability, Unset):
            disability = self.disability.value

        widowhood: str | Unset = UNSET
        if not isinstance(self.widowhood, Unset):
            widowhood = self.widowhood.value

        working_student = self.working_student

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fiscal_year": fiscal_year,
                "platform_person_id": platform_person_id,
            }
        )
        if salary_revenue is not UNSET:
            field_dict["salary_revenue"] = salary_revenue
        if pension_revenue is not UNSET:
            field_dict["pension_revenue"] = pension_revenue
        if other_income is not UNSET:
            field_dict["other_income"] = other_income
        if social_insurance is not UNSET:
            field_dict["social_insurance"] = social_insurance
        if other_deductions is not UNSET:
            field_dict["other_deductions"] = other_deductions
        if spouse is not UNSET:
            field_dict["spouse"] = spouse
        if dependants is not UNSET:
            field_dict["dependants"] = dependants
        if disability is not UNSET:
            field_dict["disability"] = disability
        if widowhood is not UNSET:
            field_dict["widowhood"] = widowhood
        if working_student is not UNSET:
            field_dict["working_student"] = working_student

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.member_in import MemberIn

        d = dict(src_dict)
        fiscal_year = d.pop("fiscal_year")

        platform_person_id = UUID(d.pop("platform_person_id"))

        salary_revenue = d.pop("salary_revenue", UNSET)

        pension_revenue = d.pop("pension_revenue", UNSET)

        other_income = d.pop("other_income", UNSET)

        social_insurance = d.pop("social_insurance", UNSET)

        other_deductions = d.pop("other_deductions", UNSET)

        def _parse_spouse(data: object) -> MemberIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                spouse_type_0 = MemberIn.from_dict(data)

                return spouse_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberIn | None | Unset, data)

        spouse = _parse_spouse(d.pop("spouse", UNSET))

        _dependants = d.pop("dependants", UNSET)
        dependants: list[MemberIn] | Unset = UNSET
        if _dependants is not UNSET:
            dependants = []
            for dependants_item_data in _dependants:
                dependants_item = MemberIn.from_dict(dependants_item_data)

                dependants.append(dependants_item)

        _disability = d.pop("disability", UNSET)
        disability: Disability | Unset
        if isinstance(_disability, Unset):
            disability = UNSET
        else:
            disability = Disability(_disability)

        _widowhood = d.pop("widowhood", UNSET)
        widowhood: Widowhood | Unset
        if isinstance(_widowhood, Unset):
            widowhood = UNSET
        else:
            widowhood = Widowhood(_widowhood)

        working_student = d.pop("working_student", UNSET)

        declaration_create = cls(
            fiscal_year=fiscal_year,
            platform_person_id=platform_person_id,
            salary_revenue=salary_revenue,
            pension_revenue=pension_revenue,
            other_income=other_income,
            social_insurance=social_insurance,
            other_deductions=other_deductions,
            spouse=spouse,
            dependants=dependants,
            disability=disability,
            widowhood=widowhood,
            working_student=working_student,
        )

        return declaration_create
