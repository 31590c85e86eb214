"""The field-survey CSV: rows that read, rows that do not, with their line numbers."""

from __future__ import annotations

from decimal import Decimal

from kyodo_disaster.domain.field_csv import decode, parse
from kyodo_disaster.domain.survey import Method, SurveyKind

HEADER = "survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,method,photos\n"
PHOTO = f"roof.jpg|2024-07-11T10:00:00|{'b' * 64}"


def test_good_and_bad_rows_are_told_apart_by_line() -> None:
    text = (HEADER
            + "A-1,955-8686,旭町2丁目3-1,一次調査,35.5,2024-07-12,,\n"
            + "A-2,95586,旭町2丁目3-2,first,35,2024-07-12,,\n"
            + "\n"
            + "A-3,955-8686,旭町2丁目3-3,third,35,2024-07-12,,\n"
            + f"A-4,９５５－８６８６,旭町2丁目3-4,二次調査,9%,2024/07/13,自己判定,{PHOTO}\n"
            + "A-5,955-8686,旭町2丁目3-5,first,abc,2024-07-12,,\n"
            + "A-6,955-8686\n")
    rows, errors = parse(text)
    assert [(r.line, r.survey.survey_ref) for r in rows] == [(2, "A-1"), (6, "A-4")]
    assert [(e.line, e.field) for e in errors] == [(3, "postal_code"), (5, "survey_kind"),
                                                   (7, "damage_ratio"), (8, "row")]
    a4 = rows[1]
    assert a4.postal_code == "9558686"
    assert (a4.survey.kind, a4.survey.method) == (SurveyKind.SECOND, Method.SELF)
    assert a4.survey.damage_ratio == Decimal("9")
    assert a4.survey.photos[0].taken_at.utcoffset() is not None, "camera time read as JST"


def test_japanese_headers_and_shift_jis_files_are_read() -> None:
    text = ("調査番号,郵便番号,所在地,調査区分,損害割合,調査日,申請者宛名番号,交付部数\n"
            "B-1,955-8686,三条市旭町二丁目3番1号,一次調査,50,2024-07-12,0000000019,2\n")
    rows, errors = parse(decode(text.encode("cp932")))
    assert not errors
    assert (rows[0].applicant_number, rows[0].copies) == ("0000000019", 2)
    assert parse(decode(("\ufeff" + text).encode()))[0][0].survey.survey_ref == "B-1"


def test_a_header_that_lacks_columns_refuses_the_whole_file() -> None:
    rows, errors = parse("survey_ref,address\nA,旭町\n")
    assert not rows and errors[0].line == 1 and "damage_ratio" in errors[0].reason
    assert parse("")[1][0].reason == "the file is empty"
