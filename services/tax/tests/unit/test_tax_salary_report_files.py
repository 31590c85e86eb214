"""給与支払報告書 files: columns, row-by-row checks with line numbers, both encodings, JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kyodo_tax.domain.instalments import Method
from kyodo_tax.domain.salary_report import FileRefused, parse_salary_reports

TODAY = date(2026, 2, 1)
HEADER = ("employer_number,resident_number,family_name_kana,given_name_kana,birth_date,"
          "salary_income,social_insurance,spouse,dependants_under_16,left_on\n")
GOOD = "1234,0000000019,サンジョウ,タロウ,1980-04-01,4000000,600000,general,1,\n"


def _csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(rows)).encode(encoding)


def _parse(content: bytes, file_format: str = "csv") -> object:
    return parse_salary_reports(content, file_format=file_format, fiscal_year=2026, today=TODAY)


def test_a_good_row() -> None:
    parsed = _parse(_csv(GOOD))
    (row,) = parsed.rows  # type: ignore[attr-defined]
    assert row.employer_number == "00001234"  # zero-padded to 8 digits
    assert (row.resident_number, row.salary_income, row.social_insurance) == (
        "0000000019", 4_000_000, 600_000)
    assert row.dependants.under_16 == 1 and row.spouse.value == "general"
    assert row.collection is Method.SPECIAL and row.row_key == "00001234:0000000019"
    assert row.line == 2


def test_bad_rows_are_reported_by_line_and_good_rows_kept() -> None:
    parsed = _parse(_csv(
        GOOD,
        "1234,0000000018,サンジョウ,ハナコ,1980-04-01,100,0,,,\n",  # bad check digit
        "123456789,0000000027,ヤマダ,ジロウ,1980-13-01,-5,0,,,\n",  # employer, date, amount
        '2222,0000000035,"ヤマダ\nタロウ",タロウ,1975-01-01,abc,0,,,\n',  # spans 2 lines
        "2222,0000000043,ヤマダ,サブロウ,1975-01-01,3000000,0,cousin,x,\n",
        "3333,0000000019,サンジョウ,タロウ,1980-04-01,1000000,0,,,2024-05-01\n",
        "1234,0000000019,サンジョウ,タロウ,1980-04-01,4000000,600000,general,1,\n",  # duplicate
        "only,three,fields\n",
    ))
    problems = {(p.line, p.field) for p in parsed.problems}  # type: ignore[attr-defined]
    assert (3, "resident_number") in problems
    assert {(4, "employer_number"), (4, "birth_date"), (4, "salary_income")} <= problems
    assert (5, "salary_income") in problems  # the row starts on line 5, the next on 7
    assert {(7, "spouse"), (7, "dependants_under_16")} <= problems
    assert (8, "left_on") in problems  # not in the income year 2025
    assert (9, "resident_number") in problems  # same employer and employee as line 2
    assert (10, "row") in problems
    assert [r.line for r in parsed.rows] == [2]  # type: ignore[attr-defined]
    assert parsed.received == 8  # type: ignore[attr-defined]


def test_shift_jis_with_bom_less_header_and_full_width_digits() -> None:
    content = _csv("１２３４,0000000019,ｻﾝｼﾞｮｳ,たろう,1980/04/01,\"4,000,000\",0,,,\n",
                   encoding="cp932")
    (row,) = _parse(content).rows  # type: ignore[attr-defined]
    assert (row.family_name_kana, row.given_name_kana) == ("サンジョウ", "タロウ")
    assert row.salary_income == 4_000_000 and row.birth_date == date(1980, 4, 1)


def test_json_rows_number_from_one() -> None:
    rows = [{"employer_number": "1234", "platform_person_id": "not-a-uuid",
             "family_name_kana": "サンジョウ", "given_name_kana": "タロウ",
             "birth_date": "1980-04-01", "salary_income": 4000000, "working_student": True},
            {"employer_number": 1234, "resident_number": "0000000019",
             "family_name_kana": "サンジョウ", "given_name_kana": "タロウ",
             "birth_date": "1980-04-01", "salary_income": "3000000", "left_on": "2025-06-30"}]
    parsed = _parse(json.dumps({"rows": rows}).encode(), "json")
    assert [(p.line, p.field) for p in parsed.problems] == [  # type: ignore[attr-defined]
        (1, "platform_person_id")]
    (row,) = parsed.rows  # type: ignore[attr-defined]
    assert row.line == 2 and row.collection is Method.ORDINARY  # left in 2025


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (_csv(header="employer_number,nickname\n"), "unknown columns: nickname"),
    (_csv(header="employer_number,resident_number\n"), "missing columns"),
    (b"\xff\xfe\x00garbage\x81", "neither UTF-8 nor Shift_JIS"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(content: bytes, reason: str) -> None:
    with pytest.raises(FileRefused, match=reason):
        _parse(content)


def test_same_content_same_hash() -> None:
    a = _parse(_csv(GOOD)).rows[0]  # type: ignore[attr-defined]
    b = _parse(_csv(GOOD.replace("600000", "600001"))).rows[0]  # type: ignore[attr-defined]
    assert a.content_hash() == _parse(_csv(GOOD)).rows[0].content_hash()  # type: ignore[attr-defined]
    assert a.content_hash() != b.content_hash() and a.row_key == b.row_key
