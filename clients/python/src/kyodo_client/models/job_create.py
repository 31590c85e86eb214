from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="JobCreate")


@_attrs_define
class JobCreate:
    """Mark these applications ready: certificates issues from the houses' events.

    Attributes:
        application_ids (list[UUID]): the applications to mark ready
    """

    application_ids: list[UUID]

    def to_dict(self) -> dict[str, Any]:
        application_ids = []
        for application_ids_item_data in self.application_ids:
            application_ids_item = str(application_ids_item_data)
            application_ids.append(application_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "application_ids": application_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        application_ids = []
        _application_ids = d.pop("application_ids")
        for application_ids_item_data in _application_ids:
            application_ids_item = UUID(application_ids_item_data)

            application_ids.append(application_ids_item)

        job_create = cls(
            application_ids=application_ids,
        )

        return job_create
