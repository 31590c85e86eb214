from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.row_error_out import RowErrorOut


T = TypeVar("T", bound="ImportReportPublic")


@_attrs_define
class ImportReportPublic:
    """
    Attributes:
        rows (int): data rows read
        houses_created (int): houses added to the ledger
        surveys_recorded (int): surveys recorded
        unchanged (int): rows already imported (idempotent)
        applications_created (int): applications added
        errors (list[RowErrorOut]): rows refused, with line and field
        dry_run (bool): true when nothing was written (checked only)
    """

    rows: int
    houses_created: int
    surveys_recorded: int
    unchanged: int
    applications_created: int
    errors: list[RowErrorOut]
    dry_run: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rows = self.rows

        houses_created = self.houses_created

        surveys_recorded = self.surveys_recorded

        unchanged = self.unchanged

        applications_created = self.applications_created

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rows": rows,
                "houses_created": houses_created,
                "surveys_recorded": surveys_recorded,
                "unchanged": unchanged,
                "applications_created": applications_created,
                "errors": errors,
                "dry_run": dry_run,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.row_error_out import RowErrorOut

        d = dict(src_dict)
        rows = d.pop("rows")

        houses_created = d.pop("houses_created")

        surveys_recorded = d.pop("surveys_recorded")

        unchanged = d.pop("unchanged")

        applications_created = d.pop("applications_created")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = RowErrorOut.from_dict(errors_item_data)

            errors.append(errors_item)

        dry_run = d.pop("dry_run")

        import_report_public = cls(
            rows=rows,
            houses_created=houses_created,
            surveys_recorded=surveys_recorded,
            unchanged=unchanged,
            applications_created=applications_created,
            errors=errors,
            dry_run=dry_run,
        )

        import_report_public.additional_properties = d
        return import_report_public

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
