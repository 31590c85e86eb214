from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PhotoIn")


@_attrs_define
class PhotoIn:
    """A photo's metadata; the image stays in the municipality's file store.

    Attributes:
        file_name (str): the photo's file name in the municipality's file store
        taken_at (datetime.datetime): when the photo was taken
        sha256 (str): the SHA-256 of the image
    """

    file_name: str
    taken_at: datetime.datetime
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        file_name = self.file_name

        taken_at = self.taken_at.isoformat()

        sha256 = self.sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "file_name": file_name,
                "taken_at": taken_at,
                "sha256": sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_name = d.pop("file_name")

        taken_at = datetime.datetime.fromisoformat(d.pop("taken_at"))

        sha256 = d.pop("sha256")

        photo_in = cls(
            file_name=file_name,
            taken_at=taken_at,
            sha256=sha256,
        )

        return photo_in
