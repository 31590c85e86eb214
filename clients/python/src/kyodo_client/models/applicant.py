from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Applicant")


@_attrs_define
class Applicant:
    """Who asks: when the applicant is the person (or of their household), their resident id.

    Decides 支援措置 (only the protected person may have their certificate) and 個人番号.

        Attributes:
            resident_id (None | Unset | UUID): the applicant's resident id, when they are the person or in the household
                (本人・同一世帯)
    """

    resident_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        resident_id: None | str | Unset
        if isinstance(self.resident_id, Unset):
            resident_id = UNSET
        elif isinstance(self.resident_id, UUID):
            resident_id = str(self.resident_id)
        else:
            resident_id = self.resident_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if resident_id is not UNSET:
            field_dict["resident_id"] = resident_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_resident_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resident_id_type_0 = UUID(data)

                return resident_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        resident_id = _parse_resident_id(d.pop("resident_id", UNSET))

        applicant = cls(
            resident_id=resident_id,
        )

        return applicant
