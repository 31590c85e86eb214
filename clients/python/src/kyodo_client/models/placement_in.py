from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.join_household_in import JoinHouseholdIn
    from ..models.new_household_in import NewHouseholdIn


T = TypeVar("T", bound="PlacementIn")


@_attrs_define
class PlacementIn:
    """Exactly one of: a new household (the person is its head) or an existing one.

    Attributes:
        new_household (NewHouseholdIn | None | Unset): a new household with the person as 世帯主
        join (JoinHouseholdIn | None | Unset): an existing household the person joins, with their 続柄
    """

    new_household: NewHouseholdIn | None | Unset = UNSET
    join: JoinHouseholdIn | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.join_household_in import JoinHouseholdIn
        from ..models.new_household_in import NewHouseholdIn

        new_household: dict[str, Any] | None | Unset
        if isinstance(self.new_household, Unset):
            new_household = UNSET
        elif isinstance(self.new_household, NewHouseholdIn):
            new_household = self.new_household.to_dict()
        else:
            new_household = self.new_household

        join: dict[str, Any] | None | Unset
        if isinstance(self.join, Unset):
            join = UNSET
        elif isinstance(self.join, JoinHouseholdIn):
            join = self.join.to_dict()
        else:
            join = self.join

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if new_household is not UNSET:
            field_dict["new_household"] = new_household
        if join is not UNSET:
            field_dict["join"] = join

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.join_household_in import JoinHouseholdIn
        from ..models.new_household_in import NewHouseholdIn

        d = dict(src_dict)

        def _parse_new_household(data: object) -> NewHouseholdIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                new_household_type_0 = NewHouseholdIn.from_dict(data)

                return new_household_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewHouseholdIn | None | Unset, data)

        new_household = _parse_new_household(d.pop("new_household", UNSET))

        def _parse_join(data: object) -> JoinHouseholdIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                join_type_0 = JoinHouseholdIn.from_dict(data)

                return join_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JoinHouseholdIn | None | Unset, data)

        join = _parse_join(d.pop("join", UNSET))

        placement_in = cls(
            new_household=new_household,
            join=join,
        )

        return placement_in
