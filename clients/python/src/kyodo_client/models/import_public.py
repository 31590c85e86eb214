from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_public_state import ImportPublicState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.import_public_problems_item import ImportPublicProblemsItem


T = TypeVar("T", bound="ImportPublic")


@_attrs_define
class ImportPublic:
    """
    Attributes:
        import_id (UUID): the import's id
        fiscal_year (int): the fiscal year the 給与支払報告書 are for
        file_sha256 (str): the SHA-256 of the file (the same file is imported once)
        received (int): rows in the file
        accepted (int): rows stored for the first time
        unchanged (int): rows identical to a report stored before
        superseding (int): rows replacing an earlier report (訂正)
        rejected (int): rows refused
        problems (list[ImportPublicProblemsItem]): {line, name, reason} per bad field
        already_imported (bool): this very file was imported before
        state (ImportPublicState): the job's state: queued (waiting for the worker), running, finished or failed (see
            `error`) (a large file is imported by the worker)
        done (int): rows handled of `received`
        progress (float): 0 to 1
        error (None | str | Unset): why the last attempt failed
    """

    import_id: UUID
    fiscal_year: int
    file_sha256: str
    received: int
    accepted: int
    unchanged: int
    superseding: int
    rejected: int
    problems: list[ImportPublicProblemsItem]
    already_imported: bool
    state: ImportPublicState
    done: int
    progress: float
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        import_id = str(self.import_id)

        fiscal_year = self.fiscal_year

        file_sha256 = self.file_sha256

        received = self.received

        accepted = self.accepted

        unchanged = self.unchanged

        superseding = self.superseding

        rejected = self.rejected

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        already_imported = self.already_imported

        state = self.state.value

        done = self.done

        progress = self.progress

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "import_id": import_id,
                "fiscal_year": fiscal_year,
                "file_sha256": file_sha256,
                "received": received,
                "accepted": accepted,
                "unchanged": unchanged,
                "superseding": superseding,
                "rejected": rejected,
                "problems": problems,
                "already_imported": already_imported,
                "state": state,
                "done": done,
                "progress": progress,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.import_public_problems_item import ImportPublicProblemsItem

        d = dict(src_dict)
        import_id = UUID(d.pop("import_id"))

        fiscal_year = d.pop("fiscal_year")

        file_sha256 = d.pop("file_sha256")

        received = d.pop("received")

        accepted = d.pop("accepted")

        unchanged = d.pop("unchanged")

        superseding = d.pop("superseding")

        rejected = d.pop("rejected")

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = ImportPublicProblemsItem.from_dict(problems_item_data)

            problems.append(problems_item)

        already_imported = d.pop("already_imported")

        state = ImportPublicState(d.pop("state"))

        done = d.pop("done")

        progress = d.pop("progress")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        import_public = cls(
            import_id=import_id,
            fiscal_year=fiscal_year,
            file_sha256=file_sha256,
            received=received,
            accepted=accepted,
            unchanged=unchanged,
            superseding=superseding,
            rejected=rejected,
            problems=problems,
            already_imported=already_imported,
            state=state,
            done=done,
            progress=progress,
            error=error,
        )

        import_public.additional_properties = d
        return import_public

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
