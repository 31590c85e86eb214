from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_public_state import JobPublicState

if TYPE_CHECKING:
    from ..models.job_public_refusals_item import JobPublicRefusalsItem


T = TypeVar("T", bound="JobPublic")


@_attrs_define
class JobPublic:
    """
    Attributes:
        id (UUID): the job's id
        state (JobPublicState): the job's state: queued (waiting for the worker), running, finished or failed (see
            `error`)
        total (int): applications in the job
        processed (int): applications processed so far
        marked_ready (int): applications marked ready
        already_ready (int): applications that were already ready
        refused (int): applications refused
        refusals (list[JobPublicRefusalsItem]): each refused application with its reason
        error (None | str): what went wrong, when it failed
        requested_by (str): who started the job
        requested_by_home (str): the home municipality of who started it
        grant_id (None | str): the support grant (支援の権限付与) the actor acted under; null when acting for their own
            municipality
        created_at (datetime.datetime | None): when the job was asked for
        started_at (datetime.datetime | None): when work on it started
        finished_at (datetime.datetime | None): when it finished
    """

    id: UUID
    state: JobPublicState
    total: int
    processed: int
    marked_ready: int
    already_ready: int
    refused: int
    refusals: list[JobPublicRefusalsItem]
    error: None | str
    requested_by: str
    requested_by_home: str
    grant_id: None | str
    created_at: datetime.datetime | None
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        state = self.state.value

        total = self.total

        processed = self.processed

        marked_ready = self.marked_ready

        already_ready = self.already_ready

        refused = self.refused

        refusals = []
        for refusals_item_data in self.refusals:
            refusals_item = refusals_item_data.to_dict()
            refusals.append(refusals_item)

        error: None | str
        error = self.error

        requested_by = self.requested_by

        requested_by_home = self.requested_by_home

        grant_id: None | str
        grant_id = self.grant_id

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
                "state": state,
                "total": total,
                "processed": processed,
                "marked_ready": marked_ready,
                "already_ready": already_ready,
                "refused": refused,
                "refusals": refusals,
                "error": error,
                "requested_by": requested_by,
                "requested_by_home": requested_by_home,
                "grant_id": grant_id,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job_public_refusals_item import JobPublicRefusalsItem

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        state = JobPublicState(d.pop("state"))

        total = d.pop("total")

        processed = d.pop("processed")

        marked_ready = d.pop("marked_ready")

        already_ready = d.pop("already_ready")

        refused = d.pop("refused")

        refusals = []
        _refusals = d.pop("refusals")
        for refusals_item_data in _refusals:
            refusals_item = JobPublicRefusalsItem.from_dict(refusals_item_data)

            refusals.append(refusals_item)

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        requested_by = d.pop("requested_by")

        requested_by_home = d.pop("requested_by_home")

        def _parse_grant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grant_id = _parse_grant_id(d.pop("grant_id"))

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

        job_public = cls(
            id=id,
            state=state,
            total=total,
            processed=processed,
            marked_ready=marked_ready,
            already_ready=already_ready,
            refused=refused,
            refusals=refusals,
            error=error,
            requested_by=requested_by,
            requested_by_home=requested_by_home,
            grant_id=grant_id,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
        )

        job_public.additional_properties = d
        return job_public

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
