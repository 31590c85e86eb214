from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApplicationPublic")


@_attrs_define
class ApplicationPublic:
    """
    Attributes:
        id (UUID): the application's id
        disaster_id (UUID): the disaster's (災害) id
        house_id (UUID): the damaged house's id in the ledger of damaged houses (被災住家台帳)
        applicant_resident_id (UUID): the applicant
        copies (int): copies asked for
        applied_on (datetime.date): the date of application
        status (str): received or ready (marked for issuing)
        ready_at (datetime.datetime | None): when it was marked ready
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
    """

    id: UUID
    disaster_id: UUID
    house_id: UUID
    applicant_resident_id: UUID
    copies: int
    applied_on: datetime.date
    status: str
    ready_at: datetime.datetime | None
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        disaster_id = str(self.disaster_id)

        house_id = str(self.house_id)

        applicant_resident_id = str(self.applicant_resident_id)

        copies = self.copies

        applied_on = self.applied_on.isoformat()

        status = self.status

        ready_at: None | str
        if isinstance(self.ready_at, datetime.datetime):
            ready_at = self.ready_at.isoformat()
        else:
            ready_at = self.ready_at

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "disaster_id": disaster_id,
                "house_id": house_id,
                "applicant_resident_id": applicant_resident_id,
                "copies": copies,
                "applied_on": applied_on,
                "status": status,
                "ready_at": ready_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        disaster_id = UUID(d.pop("disaster_id"))

        house_id = UUID(d.pop("house_id"))

        applicant_resident_id = UUID(d.pop("applicant_resident_id"))

        copies = d.pop("copies")

        applied_on = datetime.date.fromisoformat(d.pop("applied_on"))

        status = d.pop("status")

        def _parse_ready_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ready_at_type_0 = datetime.datetime.fromisoformat(data)

                return ready_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ready_at = _parse_ready_at(d.pop("ready_at"))

        version = d.pop("version")

        application_public = cls(
            id=id,
            disaster_id=disaster_id,
            house_id=house_id,
            applicant_resident_id=applicant_resident_id,
            copies=copies,
            applied_on=applied_on,
            status=status,
            ready_at=ready_at,
            version=version,
        )

        application_public.additional_properties = d
        return application_public

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
