from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.item import Item
from ..models.layout import Layout
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.applicant import Applicant


T = TypeVar("T", bound="ResidenceCreate")


@_attrs_define
class ResidenceCreate:
    """住民票の写し: 個人票 of resident_id, or 世帯連記式 of their household (all or members).

    Attributes:
        terminal (str): 端末: 本庁1
        printer (str): プリンタ: プリンタ001
        resident_id (UUID): the person (個人票) or a member of the household (世帯連記式)
        copies (int | Unset): each copy has its own number Default: 1.
        applicant (Applicant | Unset): Who asks: when the applicant is the person (or of their household), their
            resident id.

            Decides 支援措置 (only the protected person may have their certificate) and 個人番号.
        layout (Layout | Unset):
        members (list[UUID] | None | Unset): 世帯連記式: only these members (by default the whole household)
        items (list[Item] | Unset): 続柄 / 本籍 / 個人番号, printed only when chosen
    """

    terminal: str
    printer: str
    resident_id: UUID
    copies: int | Unset = 1
    applicant: Applicant | Unset = UNSET
    layout: Layout | Unset = UNSET
    members: list[UUID] | None | Unset = UNSET
    items: list[Item] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        terminal = self.terminal

        printer = self.printer

        resident_id = str(self.resident_id)

        copies = self.copies

        applicant: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applicant, Unset):
            applicant = self.applicant.to_dict()

        layout: str | Unset = UNSET
        if not isinstance(self.layout, Unset):
            layout = self.layout.value

        members: list[str] | None | Unset
        if isinstance(self.members, Unset):
            members = UNSET
        elif isinstance(self.members, list):
            members = []
            for members_type_0_item_data in self.members:
                members_type_0_item = str(members_type_0_item_data)
                members.append(members_type_0_item)

        else:
            members = self.members

        items: list[str] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.value
                items.append(items_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "terminal": terminal,
                "printer": printer,
                "resident_id": resident_id,
            }
        )
        if copies is not UNSET:
            field_dict["copies"] = copies
        if applicant is not UNSET:
            field_dict["applicant"] = applicant
        if layout is not UNSET:
            field_dict["layout"] = layout
        if members is not UNSET:
            field_dict["members"] = members
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.applicant import Applicant

        d = dict(src_dict)
        terminal = d.pop("terminal")

        printer = d.pop("printer")

        resident_id = UUID(d.pop("resident_id"))

        copies = d.pop("copies", UNSET)

        _applicant = d.pop("applicant", UNSET)
        applicant: Applicant | Unset
        if isinstance(_applicant, Unset):
            applicant = UNSET
        else:
            applicant = Applicant.from_dict(_applicant)

        _layout = d.pop("layout", UNSET)
        layout: Layout | Unset
        if isinstance(_layout, Unset):
            layout = UNSET
        else:
            layout = Layout(_layout)

        def _parse_members(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                members_type_0 = []
                _members_type_0 = data
                for members_type_0_item_data in _members_type_0:
                    members_type_0_item = UUID(members_type_0_item_data)

                    members_type_0.append(members_type_0_item)

                return members_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        members = _parse_members(d.pop("members", UNSET))

        _items = d.pop("items", UNSET)
        items: list[Item] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = Item(items_item_data)

                items.append(items_item)

        residence_create = cls(
            terminal=terminal,
            printer=printer,
            resident_id=resident_id,
            copies=copies,
            applicant=applicant,
            layout=layout,
            members=members,
            items=items,
        )

        return residence_create
