from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DamageRefusal")


@_attrs_define
class DamageRefusal:
    """
    Attributes:
        application_id (UUID): the 罹災証明書 application's id
        survey_version (int): the version of the house's damage survey (1 = the first survey)
        status (str): refused or failed
        reason (None | str): why it was refused or failed; null otherwise
    """

    application_id: UUID
    survey_version: int
    status: str
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        application_id = str(self.application_id)

        survey_version = self.survey_version

        status = self.status

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application_id": application_id,
                "survey_version": survey_version,
                "status": status,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        application_id = UUID(d.pop("application_id"))

        survey_version = d.pop("survey_version")

        status = d.pop("status")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        damage_refusal = cls(
            application_id=application_id,
            survey_version=survey_version,
            status=status,
            reason=reason,
        )

        damage_refusal.additional_properties = d
        return damage_refusal

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
