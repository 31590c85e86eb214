"""住民票の写し: 個人票 (one person per sheet) or 世帯連記式 (up to 4 persons per sheet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kyodo_certificates.domain.dates import birth_date_text, wareki
from kyodo_certificates.domain.document import Block, Document, Line, Sheet
from kyodo_certificates.domain.kinds import Item, Kind, Layout
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.domain.sheets import HOUSEHOLD_PER_SHEET, paginate
from kyodo_jp.postal import format_postal_code

SEX = {"male": "男", "female": "女"}
CERTIFY_ONE = "この写しは、住民票の原本と相違ないことを証明する。"
CERTIFY_ALL = "この写しは、世帯全員の住民票の原本と相違ないことを証明する。"
CERTIFY_SOME = "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。"


@dataclass(frozen=True)
class ResidenceRequest:
    layout: Layout
    persons: Sequence[Registered]  # in certificate order (DOMAIN §3)
    head: Registered | None
    items: frozenset[Item]
    whole_household: bool
    my_numbers: dict[str, str] | None = None  # resident id → 個人番号, when asked and allowed


def printed_fields(request: ResidenceRequest) -> list[str]:
    """What the access log records as read: the standard items and the chosen ones."""
    fields = ["name", "kana", "birth_date", "sex", "address", "household_head",
              "became_resident_on", "address_since", "moved_in_from", "previous_address"]
    return fields + sorted(str(item) for item in request.items)


def _person(person: Registered, request: ResidenceRequest, *, gannen: bool) -> Block:
    lines = [Line("氏名", person.name), Line("フリガナ", person.kana)]
    if person.latin_name:
        lines.append(Line("通称・ローマ字", person.latin_name))
    lines += [
        Line("生年月日", birth_date_text(person.birth_date, person.birth_date_partial,
                                     foreign=person.foreign, gannen=gannen)),
        Line("性別", SEX.get(person.sex, person.sex)),
    ]
    if Item.RELATIONSHIP in request.items:
        lines.append(Line("続柄", person.relationship or ""))
    if person.foreign:
        lines.append(Line("国籍・地域", person.nationality))
    lines.append(Line("住民となった日", wareki(person.became_resident_on, gannen=gannen)))
    lines.append(Line("住所を定めた日", wareki(person.address_since, gannen=gannen)))
    # The standard layout's two fields (DOMAIN §5); the older single 前住所 is gone.
    if person.moved_in_from:
        lines.append(Line("転入前住所", person.moved_in_from))
    if person.previous_address:
        lines.append(Line("異動前住所", person.previous_address))
    if Item.HONSEKI in request.items and person.honseki:
        lines.append(Line("本籍", person.honseki))
    if Item.MY_NUMBER in request.items and request.my_numbers is not None:
        lines.append(Line("個人番号", request.my_numbers.get(str(person.resident_id), "")))
    return Block(heading="", lines=tuple(lines))


def residence_document(request: ResidenceRequest, *, municipality: Municipality,
                       issued_on: date) -> Document:
    first = request.persons[0]
    gannen = municipality.gannen
    per_sheet = HOUSEHOLD_PER_SHEET if request.layout is Layout.HOUSEHOLD else 1
    sheets = tuple(Sheet(tuple(_person(p, request, gannen=gannen) for p in group))
                   for group in paginate(request.persons, per_sheet))
    header = (Line("住所", f"〒{format_postal_code(first.postal_code)}　{first.address}"),
              Line("世帯主", request.head.name if request.head else ""))
    if request.layout is Layout.INDIVIDUAL:
        certification = CERTIFY_ONE
    else:
        certification = CERTIFY_ALL if request.whole_household else CERTIFY_SOME
    return Document(
        kind=Kind.RESIDENCE.value, title="住民票の写し", municipality_code=municipality.code,
        municipality_name=municipality.name, issuer=municipality.issuer,
        issued_on=issued_on.isoformat(), issued_on_text=wareki(issued_on, gannen=gannen),
        header=header, sheets=sheets, certification=certification,
        fee_yen=municipality.fee_for(Kind.RESIDENCE),
    )
