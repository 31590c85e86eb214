from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="AssessmentRequest")


@_attrs_define
class AssessmentRequest:
    """
    Attributes:
        fiscal_year (int): 年度, e.g. 2026 for 令和8年度
        platform_person_id (UUID): the person to assess
    """

    fiscal_year: int
    platform_person_id: UUID

    def to_dict(self) -> dict[str, Any]:
        fiscal_year = self.fiscal_year

        platform_person_id = str(self.platform_person_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fiscal_year": fiscal_year,
                "platform_person_id": platform_person_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fiscal_year = d.pop("fiscal_year")

        platform_person_id = UUID(d.pop("platform_person_id"))

        assessment_request = cls(
            fiscal_year=fiscal_year,
            platform_person_id=platform_person_id,
        )

        return assessment_request
