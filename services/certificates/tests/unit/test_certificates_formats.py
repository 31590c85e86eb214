"""Issue numbers, sheets, 和暦 on certificates, verification codes: pure rules, no I/O."""

from __future__ import annotations

from datetime import date

import pytest

from kyodo_certificates.domain.dates import (
    birth_date_text,
    calendar_year_text,
    fiscal_year_text,
    wareki,
)
from kyodo_certificates.domain.issue_number import issue_number, issue_numbers, station
from kyodo_certificates.domain.sheets import HOUSEHOLD_PER_SHEET, paginate
from kyodo_certificates.domain.verification_code import (
    code_in_pdf,
    marker,
    new_code,
    parse_code,
)
from kyodo_common.errors import InvalidInput


def test_the_issue_number_follows_the_domain_example() -> None:
    assert issue_number(day=date(2020, 5, 2), municipality_name="●●市", terminal="本庁1",
                        printer="プリンタ001", serial=11, page=1, pages=2) \
        == "20200502 ●●市 本庁1 プリンタ001 011 1/2"


def test_every_page_of_a_copy_has_the_same_number_with_its_page() -> None:
    numbers = issue_numbers(day=date(2024, 5, 2), municipality_name="三条市", terminal="本庁1",
                            printer="P1", serial=1234, pages=3)
    assert numbers == ("20240502 三条市 本庁1 P1 1234 1/3", "20240502 三条市 本庁1 P1 1234 2/3",
                       "20240502 三条市 本庁1 P1 1234 3/3")


@pytest.mark.parametrize("bad", ["", "本庁 1", "a" * 21, "本庁\t1"])
def test_a_terminal_or_printer_name_has_no_spaces(bad: str) -> None:
    with pytest.raises(InvalidInput):
        station(bad, "terminal")


@pytest.mark.parametrize(("count", "sheets"), [(0, [0]), (1, [1]), (4, [4]), (5, [4, 1]),
                                                (6, [4, 2]), (8, [4, 4]), (9, [4, 4, 1])])
def test_a_household_certificate_holds_four_persons_per_sheet(count: int,
                                                              sheets: list[int]) -> None:
    pages = paginate(list(range(count)), HOUSEHOLD_PER_SHEET)
    assert [len(p) for p in pages] == sheets
    assert [x for page in pages for x in page] == list(range(count))


@pytest.mark.parametrize(("day", "text"), [
    (date(2019, 5, 1), "令和元年5月1日"), (date(2019, 4, 30), "平成31年4月30日"),
    (date(1989, 1, 7), "昭和64年1月7日"), (date(1989, 1, 8), "平成元年1月8日"),
    (date(2024, 1, 1), "令和6年1月1日"), (date(1926, 12, 25), "昭和元年12月25日"),
])
def test_dates_are_printed_in_wareki_with_gannen(day: date, text: str) -> None:
    assert wareki(day) == text


def test_gannen_can_be_turned_off_and_none_prints_nothing() -> None:
    assert wareki(date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert wareki(None) == ""


def test_years_of_tax_certificates() -> None:
    assert fiscal_year_text(2024) == "令和6年度" and calendar_year_text(2023) == "令和5年分"
    assert fiscal_year_text(2019) == "令和元年度" and calendar_year_text(2018) == "平成30年分"


def test_birth_dates_foreign_residents_in_seireki_and_partial_dates() -> None:
    assert birth_date_text(date(1980, 4, 1), None, foreign=False) == "昭和55年4月1日"
    assert birth_date_text(date(1980, 4, 1), None, foreign=True) == "1980年4月1日"
    assert birth_date_text(None, "1950~", foreign=False) == "昭和25年頃"
    assert birth_date_text(None, "令和XXXX~", foreign=False) == "令和○○年頃"
    assert birth_date_text(None, None, foreign=False) == "不詳"


def test_verification_codes_are_random_typable_and_found_in_the_pdf() -> None:
    code = new_code("152048")
    assert parse_code(code) == code and code.startswith("152048-") and len(code) == 21
    assert new_code("152048") != code
    assert parse_code(code.lower().replace("0", "o")) == code
    assert parse_code("152048-AAAA-BBBB") is None and parse_code("x") is None
    assert parse_code("152048-UUUU-AAAA-BBBB") is None  # U is not in the alphabet
    assert code_in_pdf(b"%PDF ... /Keywords (" + marker(code).encode() + b")") == code
    assert code_in_pdf(b"%PDF without a code") is None
