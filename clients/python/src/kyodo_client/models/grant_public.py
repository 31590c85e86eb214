from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.grantee_public import GranteePublic


T = TypeVar("T", bound="GrantPublic")


@_attrs_define
class GrantPublic:
    """
    Attributes:
        id (UUID): the grant's id
        grantor_municipality (str): the municipality that granted access (the stricken one)
        grantee (GranteePublic):
        scopes (list[str]): what the grantee may do here
        valid_from (datetime.datetime): when the grant starts
        valid_until (datetime.datetime): when the grant ends (time-boxed)
        disaster_ref (None | str): the disaster or reason the support is for
        note (None | str): a note for the audit trail
        status (str): active, expired or revoked
        created_at (datetime.datetime): when the grant was made
        created_by (str): who made the grant
        revoked_at (datetime.datetime | None): when the grant was revoked; null unless revoked
        revoked_by (None | str): who revoked the grant
    """

    id: UUID
    grantor_municipality: str
    grantee: GranteePublic
    scopes: list[str]
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    disaster_ref: None | str
    note: None | str
    status: str
    created_at: datetime.datetime
    created_by: str
    revoked_at: datetime.datetime | None
    revoked_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        grantor_municipality = self.grantor_municipality

        grantee = self.grantee.to_dict()

        scopes = self.scopes

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        disaster_ref: None | str
        disaster_ref = self.disaster_ref

        note: None | str
        note = self.note

        status = self.status

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        revoked_by: None | str
        revoked_by = self.revoked_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "grantor_municipality": grantor_municipality,
                "grantee": grantee,
                "scopes": scopes,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "disaster_ref": disaster_ref,
                "note": note,
                "status": status,
                "created_at": created_at,
                "created_by": created_by,
                "revoked_at": revoked_at,
                "revoked_by": revoked_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.grantee_public import GranteePublic

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        grantor_municipality = d.pop("grantor_municipality")

        grantee = GranteePublic.from_dict(d.pop("grantee"))

        scopes = cast(list[str], d.pop("scopes"))

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        def _parse_disaster_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disaster_ref = _parse_disaster_ref(d.pop("disaster_ref"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        status = d.pop("status")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        def _parse_revoked_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_by = _parse_revoked_by(d.pop("revoked_by"))

        grant_public = cls(
            id=id,
            grantor_municipality=grantor_municipality,
            grantee=grantee,
            scopes=scopes,
            valid_from=valid_from,
            valid_until=valid_until,
            disaster_ref=disaster_ref,
            note=note,
            status=status,
            created_at=created_at,
            created_by=created_by,
            revoked_at=revoked_at,
            revoked_by=revoked_by,
        )

        grant_public.additional_properties = d
        return grant_public

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
