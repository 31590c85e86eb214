"""The field-survey CSV (現地調査票の取込): one row per survey, checked row by row.

The first line names the columns, in English or Japanese, in any order. UTF-8 (with or
without BOM, as spreadsheets write it) or Shift_JIS (cp932). Photos are
``file_name|taken_at|sha256`` entries separated by ``;``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kyodo_common.clock import JST
from kyodo_disaster.domain.survey import Method, Photo, SurveyInput, SurveyKind
from kyodo_jp.postal import InvalidPostalCode, parse_postal_code

MAX_ROWS = 20_000
REQUIRED = ("survey_ref", "postal_code", "address", "survey_kind", "damage_ratio",
            "surveyed_on")
OPTIONAL = ("method", "applicant_agrees", "appeal_reason", "photos",
            "applicant_resident_number", "copies")
ALIASES = {"調査番号": "survey_ref", "郵便番号": "postal_code", "所在地": "address",
           "調査区分": "survey_kind", "損害割合": "damage_ratio", "調査日": "surveyed_on",
           "判定方法": "method", "自己判定同意": "applicant_agrees", "再調査理由": "appeal_reason",
           "写真": "photos", "申請者宛名番号": "applicant_resident_number", "交付部数": "copies"}
_TRUE = {"true", "1", "yes", "y", "はい", "同意", "有"}
_FALSE = {"", "false", "0", "no", "n", "いいえ", "無"}
_NUMBER = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class FieldRow:
    line: int
    postal_code: str
    address: str
    survey: SurveyInput
    applicant_number: str | None
    copies: int


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str


class BadRow(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")  # what Japanese spreadsheets export by default


def parse(text: str) -> tuple[list[FieldRow], list[RowError]]:
    """Every row that reads, and every one that does not with its line and field."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return [], [RowError(1, "header", "the file is empty")]
    columns = [ALIASES.get(name.strip(), name.strip()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    unknown = [name for name in columns if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        reason = (f"missing columns: {', '.join(missing)}" if missing
                  else f"unknown columns: {', '.join(unknown)}")
        return [], [RowError(1, "header", reason)]
    rows: list[FieldRow] = []
    errors: list[RowError] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # spreadsheets leave blank lines at the end
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, "file", f"at most {MAX_ROWS} rows per import"))
            break
        if len(values) != len(columns):
            errors.append(RowError(line, "row", f"{len(values)} values for "
                                                f"{len(columns)} columns"))
            continue
        try:
            rows.append(_row(line, {c: v.strip() for c, v in zip(columns, values, strict=True)}))
        except BadRow as bad:
            errors.append(RowError(line, bad.field, bad.reason))
    return rows, errors


def _row(line: int, cells: dict[str, str]) -> FieldRow:
    for name in REQUIRED:
        if not cells[name]:
            raise BadRow(name, "required")
    if len(cells["survey_ref"]) > 100:
        raise BadRow("survey_ref", "at most 100 characters")
    if len(cells["address"]) > 300:
        raise BadRow("address", "at most 300 characters")
    try:
        postal_code = parse_postal_code(cells["postal_code"])
    except InvalidPostalCode:
        raise BadRow("postal_code", "a postal code has 7 digits (999-9999)") from None
    number = cells.get("applicant_resident_number") or None
    if number is not None and not _NUMBER.fullmatch(number):
        raise BadRow("applicant_resident_number", "a 宛名番号 is digits")
    copies = _int(cells.get("copies") or "1", "copies")
    if not 1 <= copies <= 20:
        raise BadRow("copies", "from 1 to 20 copies")
    try:
        kind = SurveyKind.parse(cells["survey_kind"])
    except ValueError:
        raise BadRow("survey_kind", "一次調査 or 二次調査 (first, second)") from None
    try:
        method = Method.parse(cells.get("method") or "site")
    except ValueError:
        raise BadRow("method", "現地調査 or 自己判定 (site, self)") from None
    survey = SurveyInput(
        kind=kind, method=method, damage_ratio=_ratio(cells["damage_ratio"]),
        surveyed_on=_date(cells["surveyed_on"]), photos=_photos(cells.get("photos", "")),
        applicant_agrees=_bool(cells.get("applicant_agrees", "")),
        appeal_reason=cells.get("appeal_reason") or None, survey_ref=cells["survey_ref"])
    return FieldRow(line=line, postal_code=postal_code, address=cells["address"],
                    survey=survey, applicant_number=number, copies=copies)


def _int(text: str, field: str) -> int:
    if not _NUMBER.fullmatch(text):
        raise BadRow(field, "a whole number")
    return int(text)


def _ratio(text: str) -> Decimal:
    try:
        ratio = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        raise BadRow("damage_ratio", "a percentage such as 23.5") from None
    if not ratio.is_finite():
        raise BadRow("damage_ratio", "a percentage such as 23.5")
    return ratio


def _date(text: str, field: str = "surveyed_on") -> date:
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise BadRow(field, "a date as YYYY-MM-DD") from None


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadRow("applicant_agrees", "yes or no (はい/いいえ)")


def _photos(text: str) -> tuple[Photo, ...]:
    photos = []
    for index, entry in enumerate(e for e in text.split(";") if e.strip()):
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) != 3:
            raise BadRow(f"photos.{index}", "file_name|taken_at|sha256")
        try:
            taken_at = datetime.fromisoformat(parts[1])
        except ValueError:
            raise BadRow(f"photos.{index}.taken_at", "a time as 2024-07-01T10:00:00+09:00") \
                from None
        if taken_at.tzinfo is None:  # cameras write local time: Japan's
            taken_at = taken_at.replace(tzinfo=JST)
        photos.append(Photo(file_name=parts[0], taken_at=taken_at, sha256=parts[2].lower()))
    return tuple(photos)
