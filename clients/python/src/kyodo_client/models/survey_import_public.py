from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.survey_import_public_state import SurveyImportPublicState

if TYPE_CHECKING:
    from ..models.row_error_out import RowErrorOut


T = TypeVar("T", bound="SurveyImportPublic")


@_attrs_define
class SurveyImportPublic:
    """A large field-survey file imported by the worker: how far it is.

    Attributes:
        id (UUID): the import's id
        disaster_id (UUID): the disaster the surveys are for
        state (SurveyImportPublicState): the job's state: queued (waiting for the worker), running, finished or failed
            (see `error`)
        total (int): data rows in the file
        done (int): rows handled so far (imported, unchanged or refused)
        progress (float): 0 to 1
        houses_created (int): houses added to the ledger so far
        surveys_recorded (int): surveys recorded so far
        unchanged (int): rows already imported before (idempotent)
        applications_created (int): applications added so far
        refused (int): rows refused so far (each is in `errors`)
        errors (list[RowErrorOut]): the rows refused, by line: those that broke the rules by themselves when the file
            came, then those the ledger refused (a survey_ref recorded with other values, an applicant not living there)
        attempts (int): chunks that failed and were retried
        error (None | str): why the last attempt failed, if one did
        created_at (datetime.datetime | None): when the file came
        started_at (datetime.datetime | None): when the worker started on it
        finished_at (datetime.datetime | None): when it finished or failed
    """

    id: UUID
    disaster_id: UUID
    state: SurveyImportPublicState
    total: int
    done: int
    progress: float
    houses_created: int
    surveys_recorded: int
    unchanged: int
    applications_created: int
    refused: int
    errors: list[RowErrorOut]
    attempts: int
    error: None | str
    created_at: datetime.datetime | None
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        disaster_id = str(self.disaster_id)

        state = self.state.value

        total = self.total

        done = self.done

        progress = self.progress

        houses_created = self.houses_created

        surveys_recorded = self.surveys_recorded

        unchanged = self.unchanged

        applications_created = self.applications_created

        refused = self.refused

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        attempts = self.attempts

        error: None | str
        error = self.error

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

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
                "disaster_id": disaster_id,
                "state": state,
                "total": total,
                "done": done,
                "progress": progress,
                "houses_created": houses_created,
                "surveys_recorded": surveys_recorded,
                "unchanged": unchanged,
                "applications_created": applications_created,
                "refused": refused,
                "errors": errors,
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
        from ..models.row_error_out import RowErrorOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        disaster_id = UUID(d.pop("disaster_id"))

        state = SurveyImportPublicState(d.pop("state"))

        total = d.pop("total")

        done = d.pop("done")

        progress = d.pop("progress")

        houses_created = d.pop("houses_created")

        surveys_recorded = d.pop("surveys_recorded")

        unchanged = d.pop("unchanged")

        applications_created = d.pop("applications_created")

        refused = d.pop("refused")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = RowErrorOut.from_dict(errors_item_data)

            errors.append(errors_item)

        attempts = d.pop("attempts")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

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

        survey_import_public = cls(
            id=id,
            disaster_id=disaster_id,
            state=state,
            total=total,
            done=done,
            progress=progress,
            houses_created=houses_created,
            surveys_recorded=surveys_recorded,
            unchanged=unchanged,
            applications_created=applications_created,
            refused=refused,
            errors=errors,
            attempts=attempts,
            error=error,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
        )

        survey_import_public.additional_properties = d
        return survey_import_public

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
