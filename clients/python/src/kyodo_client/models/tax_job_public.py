from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tax_job_public_state import TaxJobPublicState

T = TypeVar("T", bound="TaxJobPublic")


@_attrs_define
class TaxJobPublic:
    """
    Attributes:
        id (UUID): the job's id
        fiscal_year (int): the fiscal year being assessed
        state (TaxJobPublicState): the job's state: queued (waiting for the worker), running, finished or failed (see
            `error`)
        total (int | None): persons to assess, known once the job started
        done (int): the persons processed so far
        progress (float): 0 to 1
        assessed (int): persons assessed for the first time
        corrected (int): persons whose assessment changed (更正)
        unchanged (int): persons whose assessment stayed the same
        refused (int): left for manual assessment (see the refusals)
        attempts (int): how many times the job was started (it resumes)
        error (None | str): what went wrong, when it failed
        created_at (datetime.datetime): when the job was asked for
        started_at (datetime.datetime | None): when work on it started
        finished_at (datetime.datetime | None): when it finished
    """

    id: UUID
    fiscal_year: int
    state: TaxJobPublicState
    total: int | None
    done: int
    progress: float
    assessed: int
    corrected: int
    unchanged: int
    refused: int
    attempts: int
    error: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        fiscal_year = self.fiscal_year

        state = self.state.value

        total: int | None
        total = self.total

        done = self.done

        progress = self.progress

        assessed = self.assessed

        corrected = self.corrected

        unchanged = self.unchanged

        refused = self.refused

        attempts = self.attempts

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "fiscal_year": fiscal_year,
                "state": state,
                "total": total,
                "done": done,
                "progress": progress,
                "assessed": assessed,
                "corrected": corrected,
                "unchanged": unchanged,
                "refused": refused,
                "attempts": attempts,
                "error": error,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        fiscal_year = d.pop("fiscal_year")

        state = TaxJobPublicState(d.pop("state"))

        def _parse_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total = _parse_total(d.pop("total"))

        done = d.pop("done")

        progress = d.pop("progress")

        assessed = d.pop("assessed")

        corrected = d.pop("corrected")

        unchanged = d.pop("unchanged")

        refused = d.pop("refused")

        attempts = d.pop("attempts")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        tax_job_public = cls(
            id=id,
            fiscal_year=fiscal_year,
            state=state,
            total=total,
            done=done,
            progress=progress,
            assessed=assessed,
            corrected=corrected,
            unchanged=unchanged,
            refused=refused,
            attempts=attempts,
            error=error,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
        )

        tax_job_public.additional_properties = d
        return tax_job_public

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
