from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CertificatePublic")


@_attrs_define
class CertificatePublic:
    """
    Attributes:
        id (UUID): the certificate's (one copy's) id
        issuance_id (UUID): the issuance the copy belongs to
        kind (str): residence, tax, damage or damage_report
        title (str): the title as printed, e.g. 住民票の写し
        copy_number (int): the copy's number within the issuance (1, 2, …)
        issued_on (datetime.date): the date of issue
        issued_at (datetime.datetime): when it was issued (ISO 8601, UTC)
        pages (int): the number of A4 pages
        issue_numbers (list[str]): the issue number printed on each page
        verification_code (str): the code printed (and in the QR code) for public verification
        fee_yen (int): the fee charged for this copy (手数料), yen
        subject_ids (list[UUID]): the residents (or house) the certificate is about
        fields (list[str]): the items printed (e.g. 本籍 only when asked for)
        status (str): issued or voided
        voided_at (datetime.datetime | None): when the copy was voided; null while valid
        issued_by (str): the staff member (token subject) who issued it
        issued_by_home (None | str): their home municipality: another town's under a support grant
        grant_id (None | str): the support grant it was issued under, if any
    """

    id: UUID
    issuance_id: UUID
    kind: str
    title: str
    copy_number: int
    issued_on: datetime.date
    issued_at: datetime.datetime
    pages: int
    issue_numbers: list[str]
    verification_code: str
    fee_yen: int
    subject_ids: list[UUID]
    fields: list[str]
    status: str
    voided_at: datetime.datetime | None
    issued_by: str
    issued_by_home: None | str
    grant_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        issuance_id = str(self.issuance_id)

        kind = self.kind

        title = self.title

        copy_number = self.copy_number

        issued_on = self.issued_on.isoformat()

        issued_at = self.issued_at.isoformat()

        pages = self.pages

        issue_numbers = self.issue_numbers

        verification_code = self.verification_code

        fee_yen = self.fee_yen

        subject_ids = []
        for subject_ids_item_data in self.subject_ids:
            subject_ids_item = str(subject_ids_item_data)
            subject_ids.append(subject_ids_item)

        fields = self.fields

        status = self.status

        voided_at: None | str
        if isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at

        issued_by = self.issued_by

        issued_by_home: None | str
        issued_by_home = self.issued_by_home

        grant_id: None | str
        grant_id = self.grant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "issuance_id": issuance_id,
                "kind": kind,
                "title": title,
                "copy_number": copy_number,
                "issued_on": issued_on,
                "issued_at": issued_at,
                "pages": pages,
                "issue_numbers": issue_numbers,
                "verification_code": verification_code,
                "fee_yen": fee_yen,
                "subject_ids": subject_ids,
                "fields": fields,
                "status": status,
                "voided_at": voided_at,
                "issued_by": issued_by,
                "issued_by_home": issued_by_home,
                "grant_id": grant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        issuance_id = UUID(d.pop("issuance_id"))

        kind = d.pop("kind")

        title = d.pop("title")

        copy_number = d.pop("copy_number")

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        pages = d.pop("pages")

        issue_numbers = cast(list[str], d.pop("issue_numbers"))

        verification_code = d.pop("verification_code")

        fee_yen = d.pop("fee_yen")

        subject_ids = []
        _subject_ids = d.pop("subject_ids")
        for subject_ids_item_data in _subject_ids:
            subject_ids_item = UUID(subject_ids_item_data)

            subject_ids.append(subject_ids_item)

        fields = cast(list[str], d.pop("fields"))

        status = d.pop("status")

        def _parse_voided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)

                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        voided_at = _parse_voided_at(d.pop("voided_at"))

        issued_by = d.pop("issued_by")

        def _parse_issued_by_home(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        issued_by_home = _parse_issued_by_home(d.pop("issued_by_home"))

        def _parse_grant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grant_id = _parse_grant_id(d.pop("grant_id"))

        certificate_public = cls(
            id=id,
            issuance_id=issuance_id,
            kind=kind,
            title=title,
            copy_number=copy_number,
            issued_on=issued_on,
            issued_at=issued_at,
            pages=pages,
            issue_numbers=issue_numbers,
            verification_code=verification_code,
            fee_yen=fee_yen,
            subject_ids=subject_ids,
            fields=fields,
            status=status,
            voided_at=voided_at,
            issued_by=issued_by,
            issued_by_home=issued_by_home,
            grant_id=grant_id,
        )

        certificate_public.additional_properties = d
        return certificate_public

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
