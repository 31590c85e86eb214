from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.damage_copy import DamageCopy


T = TypeVar("T", bound="DamageRequest")


@_attrs_define
class DamageRequest:
    """One requested 罹災証明書 (application × survey) and the copies issued for it.

    Attributes:
        application_id (UUID): the 罹災証明書 application's id
        survey_version (int): the version of the house's damage survey (1 = the first survey)
        assessment_id (UUID): the id of the assessed house in the ledger of damaged houses
        status (str): pending, issued, refused or failed
        reason (None | str): why it was refused or failed; null otherwise
        issuance_id (None | UUID): the issuance made for it, once issued
        issued_at (datetime.datetime | None): when it was issued
        copies (list[DamageCopy]): the copies issued
    """

    application_id: UUID
    survey_version: int
    assessment_id: UUID
    status: str
    reason: None | str
    issuance_id: None | UUID
    issued_at: datetime.datetime | None
    copies: list[DamageCopy]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        application_id = str(self.application_id)

        survey_version = self.survey_version

        assessment_id = str(self.assessment_id)

        status = self.status

        reason: None | str
        reason = self.reason

        issuance_id: None | str
        if isinstance(self.issuance_id, UUID):
            issuance_id = str(self.issuance_id)
        else:
            issuance_id = self.issuance_id

        issued_at: None | str
        if isinstance(self.issued_at, datetime.datetime):
            issued_at = self.issued_at.isoformat()
        else:
            issued_at = self.issued_at

        copies = []
        for copies_item_data in self.copies:
            copies_item = copies_item_data.to_dict()
            copies.append(copies_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application_id": application_id,
                "survey_version": survey_version,
                "assessment_id": assessment_id,
                "status": status,
                "reason": reason,
                "issuance_id": issuance_id,
                "issued_at": issued_at,
                "copies": copies,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.damage_copy import DamageCopy

        d = dict(src_dict)
        application_id = UUID(d.pop("application_id"))

        survey_version = d.pop("survey_version")

        assessment_id = UUID(d.pop("assessment_id"))

        status = d.pop("status")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_issuance_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issuance_id_type_0 = UUID(data)

                return issuance_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        issuance_id = _parse_issuance_id(d.pop("issuance_id"))

        def _parse_issued_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issued_at_type_0 = datetime.datetime.fromisoformat(data)

                return issued_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        issued_at = _parse_issued_at(d.pop("issued_at"))

        copies = []
        _copies = d.pop("copies")
        for copies_item_data in _copies:
            copies_item = DamageCopy.from_dict(copies_item_data)

            copies.append(copies_item)

        damage_request = cls(
            application_id=application_id,
            survey_version=survey_version,
            assessment_id=assessment_id,
            status=status,
            reason=reason,
            issuance_id=issuance_id,
            issued_at=issued_at,
            copies=copies,
        )

        damage_request.additional_properties = d
        return damage_request

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
