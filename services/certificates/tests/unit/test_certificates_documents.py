"""What a certificate prints, and that the same content always renders the same bytes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from kyodo_certificates.domain.document import Document
from kyodo_certificates.domain.kinds import Item, Layout
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.domain.residence import (
    CERTIFY_ALL,
    CERTIFY_ONE,
    ResidenceRequest,
    residence_document,
)
from kyodo_certificates.domain.rules import registered_on
from kyodo_certificates.rendering.pdf import render

TOWN = Municipality(code="152048", name="三条市", prefecture="新潟県", mayor_name="三条　市長",
                    certificate_fee_yen=300)


def person(n: int, relationship: str = "子", **changes: object) -> Registered:
    values: dict[str, object] = dict(
        resident_id=uuid.uuid4(), resident_number=f"{n:010d}", status="resident",
        family_name="三条", given_name=f"{n}郎", family_name_kana="サンジョウ",
        given_name_kana="ロウ", latin_name=None, birth_date=date(2000, 1, n),
        birth_date_partial=None, sex="male", nationality="JP", household_id=None,
        relationship=relationship, postal_code="9558686", address="新潟県三条市旭町二丁目3番1号",
        address_since=date(2019, 5, 1), became_resident_on=date(2019, 5, 1), left_on=None,
        protected=False)
    values.update(changes)
    return Registered(**values)  # type: ignore[arg-type]


def household(count: int) -> Document:
    persons = [person(n + 1, "世帯主" if n == 0 else "子") for n in range(count)]
    return residence_document(ResidenceRequest(
        layout=Layout.HOUSEHOLD, persons=persons, head=persons[0],
        items=frozenset({Item.RELATIONSHIP}), whole_household=True),
        municipality=TOWN, issued_on=date(2024, 5, 2))


def test_six_members_make_two_sheets_of_four_and_two() -> None:
    document = household(6)
    assert document.pages == 2
    assert [len(s.blocks) for s in document.sheets] == [4, 2]
    assert document.certification == CERTIFY_ALL
    assert document.issued_on_text == "令和6年5月2日"
    assert document.issuer == "三条市長　三条　市長"


def test_relationship_and_honseki_are_printed_only_when_chosen() -> None:
    someone = person(1, "世帯主", honseki="新潟県三条市旭町二丁目3番地")

    def labels(items: set[Item]) -> list[str]:
        document = residence_document(ResidenceRequest(
            layout=Layout.INDIVIDUAL, persons=[someone], head=someone, items=frozenset(items),
            whole_household=False), municipality=TOWN, issued_on=date(2024, 5, 2))
        assert document.certification == CERTIFY_ONE
        return [line.label for line in document.sheets[0].blocks[0].lines]

    assert "続柄" not in labels(set()) and "本籍" not in labels(set())
    assert {"続柄", "本籍"} <= set(labels({Item.RELATIONSHIP, Item.HONSEKI}))
    assert "個人番号" not in labels({Item.MY_NUMBER})  # never without the number itself


def test_the_same_document_renders_the_same_bytes_and_canonical_content() -> None:
    document = replace(household(2), verification_code="152048-AAAA-BBBB-CCCC",
                       verify_url="https://kyodo.example/v1/certificates/verify/x",
                       issue_numbers=("20240502 三条市 本庁1 P1 001 1/1",))
    assert render(document) == render(document)
    assert document.canonical() == replace(document).canonical()
    assert b'"verification_code":"152048-AAAA-BBBB-CCCC"' in document.canonical()


def test_the_january_first_rule_reads_the_dates_of_residence() -> None:
    jan1 = date(2024, 1, 1)
    assert registered_on(person(1), jan1)
    assert not registered_on(person(1, became_resident_on=date(2024, 1, 2)), jan1)
    assert registered_on(person(1, left_on=date(2024, 1, 2), status="moved_out"), jan1)
    assert not registered_on(person(1, left_on=date(2023, 12, 31), status="moved_out"), jan1)


def test_the_address_before_the_move_in_and_before_a_move_within_the_town_are_printed() -> None:
    """DOMAIN §5: 転入前住所 (from the register) and 異動前住所; the single 前住所 is gone."""
    moved_in = person(1, "世帯主", moved_in_from="東京都千代田区千代田1番1号")
    then_moved = replace(moved_in, previous_address="新潟県三条市本町1")

    def lines(someone: Registered) -> dict[str, str]:
        document = residence_document(ResidenceRequest(
            layout=Layout.INDIVIDUAL, persons=[someone], head=someone, items=frozenset(),
            whole_household=False), municipality=TOWN, issued_on=date(2024, 5, 2))
        return {line.label: line.value for line in document.sheets[0].blocks[0].lines}

    printed = lines(moved_in)
    assert printed["転入前住所"] == "東京都千代田区千代田1番1号"
    assert "異動前住所" not in printed and "前住所" not in printed
    assert lines(then_moved)["異動前住所"] == "新潟県三条市本町1"
    assert Registered.from_state({**_state(moved_in), "moved_in_from": "北海道札幌市"}
                                 ).moved_in_from == "北海道札幌市"


def _state(someone: Registered) -> dict[str, object]:
    return {k: (str(v) if v is not None else None) for k, v in someone.__dict__.items()}
