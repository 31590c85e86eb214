from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.damage_refusal import DamageRefusal


T = TypeVar("T", bound="DamageProgress")


@_attrs_define
class DamageProgress:
    """罹災証明書 requested for a disaster's houses (one per application and survey) and how
    far the worker has issued them; ids and counts only.

        Attributes:
            disaster_id (UUID): the disaster's (災害) id
            houses (int): houses of the disaster this service has received
            requested (int): requests recorded (application × survey)
            issued (int): 罹災証明書 issued
            pending (int): still to be issued by the worker
            kept (int): a re-survey kept the grade: the earlier certificate stands
            superseded (int): copies voided because a later survey changed the grade
            voided (int): issued, then voided by a re-survey with another grade
            refused (int): requests refused (e.g. a protected applicant)
            failed (int): requests that failed and will be retried
            copies_issued (int): certificates (copies) of this disaster still valid
            problems (list[DamageRefusal]): refused or failed requests (first 100)
    """

    disaster_id: UUID
    houses: int
    requested: int
    issued: int
    pending: int
    kept: int
    superseded: int
    voided: int
    refused: int
    failed: int
    copies_issued: int
    problems: list[DamageRefusal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        disaster_id = str(self.disaster_id)

        houses = self.houses

        requested = self.requested

        issued = self.issued

        pending = self.pending

        kept = self.kept

        superseded = self.superseded

        voided = self.voided

        refused = self.refused

        failed = self.failed

        copies_issued = self.copies_issued

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disaster_id": disaster_id,
                "houses": houses,
                "requested": requested,
                "issued": issued,
                "pending": pending,
                "kept": kept,
                "superseded": superseded,
                "voided": voided,
                "refused": refused,
                "failed": failed,
                "copies_issued": copies_issued,
                "problems": problems,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.damage_refusal import DamageRefusal

        d = dict(src_dict)
        disaster_id = UUID(d.pop("disaster_id"))

        houses = d.pop("houses")

        requested = d.pop("requested")

        issued = d.pop("issued")

        pending = d.pop("pending")

        kept = d.pop("kept")

        superseded = d.pop("superseded")

        voided = d.pop("voided")

        refused = d.pop("refused")

        failed = d.pop("failed")

        copies_issued = d.pop("copies_issued")

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = DamageRefusal.from_dict(problems_item_data)

            problems.append(problems_item)

        damage_progress = cls(
            disaster_id=disaster_id,
            houses=houses,
            requested=requested,
            issued=issued,
            pending=pending,
            kept=kept,
            superseded=superseded,
            voided=voided,
            refused=refused,
            failed=failed,
            copies_issued=copies_issued,
            problems=problems,
        )

        damage_progress.additional_properties = d
        return damage_progress

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
