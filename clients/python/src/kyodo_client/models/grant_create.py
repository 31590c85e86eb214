from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grantee_ref import GranteeRef


T = TypeVar("T", bound="GrantCreate")


@_attrs_define
class GrantCreate:
    """
    Attributes:
        grantee (GranteeRef): The staff member who receives the grant: by login or by id, in their municipality.
        scopes (list[str]): what the grantee may do here, within their own roles
        valid_until (datetime.datetime): at most 90 days after valid_from
        valid_from (datetime.datetime | None | Unset): default: now
        disaster_ref (None | str | Unset): the disaster or reason the support is for
        note (None | str | Unset): a note for the audit trail
    """

    grantee: GranteeRef
    scopes: list[str]
    valid_until: datetime.datetime
    valid_from: datetime.datetime | None | Unset = UNSET
    disaster_ref: None | str | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grantee = self.grantee.to_dict()

        scopes = self.scopes

        valid_until = self.valid_until.isoformat()

        valid_from: None | str | Unset
        if isinstance(self.valid_from, Unset):
            valid_from = UNSET
        elif isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        disaster_ref: None | str | Unset
        if isinstance(self.disaster_ref, Unset):
            disaster_ref = UNSET
        else:
            disaster_ref = self.disaster_ref

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grantee": grantee,
                "scopes": scopes,
                "valid_until": valid_until,
            }
        )
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if disaster_ref is not UNSET:
            field_dict["disaster_ref"] = disaster_ref
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.grantee_ref import GranteeRef

        d = dict(src_dict)
        grantee = GranteeRef.from_dict(d.pop("grantee"))

        scopes = cast(list[str], d.pop("scopes"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        def _parse_valid_from(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)

                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_from = _parse_valid_from(d.pop("valid_from", UNSET))

        def _parse_disaster_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disaster_ref = _parse_disaster_ref(d.pop("disaster_ref", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        grant_create = cls(
            grantee=grantee,
            scopes=scopes,
            valid_until=valid_until,
            valid_from=valid_from,
            disaster_ref=disaster_ref,
            note=note,
        )

        return grant_create
