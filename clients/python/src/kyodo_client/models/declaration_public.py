from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.declaration_public_dependants import DeclarationPublicDependants


T = TypeVar("T", bound="DeclarationPublic")


@_attrs_define
class DeclarationPublic:
    """
    Attributes:
        id (UUID): the declaration's id
        version (int): the declaration's version (a new filing replaces it)
        fiscal_year (int): the fiscal year (年度), e.g. 2025 = 令和7年度
        platform_person_id (UUID): the person who declared
        spouse (str): the kind of spouse deduction claimed
        dependants (DeclarationPublicDependants): the number of dependants by kind
    """

    id: UUID
    version: int
    fiscal_year: int
    platform_person_id: UUID
    spouse: str
    dependants: DeclarationPublicDependants
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        version = self.version

        fiscal_year = self.fiscal_year

        platform_person_id = str(self.platform_person_id)

        spouse = self.spouse

        dependants = self.dependants.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "version": version,
                "fiscal_year": fiscal_year,
                "platform_person_id": platform_person_id,
                "spouse": spouse,
                "dependants": dependants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.declaration_public_dependants import DeclarationPublicDependants

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        version = d.pop("version")

        fiscal_year = d.pop("fiscal_year")

        platform_person_id = UUID(d.pop("platform_person_id"))

        spouse = d.pop("spouse")

        dependants = DeclarationPublicDependants.from_dict(d.pop("dependants"))

        declaration_public = cls(
            id=id,
            version=version,
            fiscal_year=fiscal_year,
            platform_person_id=platform_person_id,
            spouse=spouse,
            dependants=dependants,
        )

        declaration_public.additional_properties = d
        return declaration_public

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
