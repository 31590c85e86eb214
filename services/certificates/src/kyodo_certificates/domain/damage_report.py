"""被災証明書: that a person reported damage from a declared disaster (DOMAIN §6).

Unlike the 罹災証明書 it rests on the report alone, without a survey: it covers what a
罹災証明書 does not (household goods, vehicles, buildings that are not homes) or the bare fact of
damage, and it never states a damage grade or an amount of money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kyodo_certificates.domain.dates import wareki
from kyodo_certificates.domain.document import Block, Document, Line, Sheet
from kyodo_certificates.domain.kinds import Kind
from kyodo_certificates.domain.people import Municipality, Registered

CERTIFY = "上記のとおり被災の届出があったことを証明します。"
NOT_A_GRADE = ("この証明書は届出に基づき被災の事実を証明するものであり、"
               "被害の程度を証明するものではありません。")


class DamagedProperty(StrEnum):
    """被災物件: what the report says was damaged."""

    HOUSEHOLD_GOODS = "household_goods"
    VEHICLE = "vehicle"
    NON_RESIDENTIAL = "non_residential"
    HOUSE = "house"  # the fact only: the house's grade is a 罹災証明書's
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {DamagedProperty.HOUSEHOLD_GOODS: "家財", DamagedProperty.VEHICLE: "自動車等",
           DamagedProperty.NON_RESIDENTIAL: "住家以外の建物（物置・車庫・店舗等）",
           DamagedProperty.HOUSE: "住家", DamagedProperty.OTHER: "その他"}


@dataclass(frozen=True)
class DeclaredDisaster:
    """A disaster the municipality declared, as the disaster service announced it."""

    disaster_id: str
    name: str
    occurred_on: date
    application_opens_on: date
    application_closes_on: date

    def accepts_applications_on(self, day: date) -> bool:
        return self.application_opens_on <= day <= self.application_closes_on


@dataclass(frozen=True)
class DamageReport:
    disaster: DeclaredDisaster
    person: Registered  # who reported the damage (被災者)
    properties: Sequence[DamagedProperty]
    location: str  # 被災場所
    description: str  # 被害の状況, in the person's words


def damage_report_document(report: DamageReport, *, municipality: Municipality,
                           issued_on: date) -> Document:
    gannen = municipality.gannen
    r = report
    header = (Line("住所", r.person.address), Line("氏名", r.person.name))
    sheet = Sheet((Block("被災の状況", (
        Line("災害名", r.disaster.name),
        Line("災害発生日", wareki(r.disaster.occurred_on, gannen=gannen)),
        Line("被災場所", r.location),
        Line("被災物件", "、".join(p.label for p in r.properties)),
        Line("被害の状況", r.description),
    )),))
    return Document(
        kind=Kind.DAMAGE_REPORT.value, title="被災証明書", municipality_code=municipality.code,
        municipality_name=municipality.name, issuer=municipality.issuer,
        issued_on=issued_on.isoformat(), issued_on_text=wareki(issued_on, gannen=gannen),
        header=header, sheets=(sheet,), certification=CERTIFY,
        fee_yen=municipality.fee_for(Kind.DAMAGE_REPORT), notes=(NOT_A_GRADE,),
    )
