"""罹災証明書: the damage grade of a house and the disaster that caused it; never money."""

from __future__ import annotations

from datetime import date

from kyodo_certificates.domain.dates import wareki
from kyodo_certificates.domain.document import Block, Document, Line, Sheet
from kyodo_certificates.domain.kinds import Kind
from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.upstream.disaster import DamageAssessed

CERTIFY = "上記のとおり相違ないことを証明します。"
LEGAL_BASIS = "災害対策基本法第90条の2の規定に基づき交付する。"


def damage_document(assessment: DamageAssessed, *, municipality: Municipality,
                    issued_on: date) -> Document:
    gannen = municipality.gannen
    a = assessment
    header = (Line("世帯主住所", a.householder_address), Line("世帯主氏名", a.householder_name))
    sheet = Sheet((Block("被害の状況", (
        Line("災害名", a.disaster.name),
        Line("災害発生日", wareki(a.disaster.occurred_on, gannen=gannen)),
        Line("被災住家の所在地", a.house_address),
        Line("住家の被害の程度", a.grade.value),
        Line("調査日", wareki(a.surveyed_on, gannen=gannen)),
        Line("判定方法", a.method),
    )),))
    return Document(
        kind=Kind.DAMAGE.value, title="罹災証明書", municipality_code=municipality.code,
        municipality_name=municipality.name, issuer=municipality.issuer,
        issued_on=issued_on.isoformat(), issued_on_text=wareki(issued_on, gannen=gannen),
        header=header, sheets=(sheet,), certification=CERTIFY,
        fee_yen=municipality.fee_for(Kind.DAMAGE), notes=(LEGAL_BASIS,),
    )
