"""給与支払報告書 (salary payment reports) as files: columns, row validation, row keys.

One row per employee. A bad row is reported with its line number and reason and the good rows
are kept; the person behind a row is matched to the register later (service layer).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from kyodo_jp.checkdigits import is_valid_resident_number
from kyodo_jp.kana import is_katakana, normalize_kana
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, Widowhood
from kyodo_tax.domain.instalments import Method

MAX_AMOUNT = 99_999_999_999
MAX_ROWS = 200_000
COUNT_COLUMNS = ("dependants_general", "dependants_specified", "dependants_elderly",
                 "dependants_elderly_cohabiting", "dependants_under_16", "disabled_general",
                 "disabled_special", "disabled_special_cohabiting")
REQUIRED = ("employer_number", "family_name_kana", "given_name_kana", "birth_date",
            "salary_income")
PERSON_KEYS = ("resident_number", "platform_person_id")
OPTIONAL = ("employer_name", "social_insurance", "other_deductions", "spouse", "disability",
            "widowhood", "working_student", "collection", "left_on", *COUNT_COLUMNS)
COLUMNS = (*REQUIRED, *PERSON_KEYS, *OPTIONAL)
_DIGITS = re.compile(r"^[0-9]+$")
_TRUE, _FALSE = {"1", "true", "yes", "y", "○"}, {"", "0", "false", "no", "n"}


class FileRefused(ValueError):
    """The file as a whole cannot be read (encoding, format, columns): nothing is imported."""

    def __init__(self, reason: str, *, columns: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.columns = columns or []


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class SalaryReportRow:
    """A valid row: one employer's report on one employee for one income year."""

    line: int
    employer_number: str  # 特別徴収義務者指定番号, 8 digits zero-padded
    employer_name: str
    resident_number: str | None
    platform_person_id: UUID | None
    family_name_kana: str
    given_name_kana: str
    birth_date: date
    salary_income: int
    social_insurance: int = 0
    other_deductions: int = 0
    spouse: Spouse = Spouse.NONE
    dependants: Dependants = field(default_factory=Dependants)
    disability: Disability = Disability.NONE
    widowhood: Widowhood = Widowhood.NONE
    working_student: bool = False
    collection: Method = Method.SPECIAL
    left_on: date | None = None

    @property
    def person_key(self) -> str:
        return self.resident_number or str(self.platform_person_id)

    @property
    def row_key(self) -> str:
        """One report per employer and employee: a second one for the pair is a 訂正."""
        return f"{self.employer_number}:{self.person_key}"

    def content(self) -> dict[str, Any]:
        values = asdict(self)
        del values["line"]
        content: dict[str, Any] = json.loads(json.dumps(values, default=str))
        return content

    def content_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class ParsedFile:
    rows: list[SalaryReportRow]
    problems: list[RowProblem]
    received: int


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _text(content: bytes) -> str:
    """UTF-8 (with or without BOM); Shift_JIS (cp932) as many municipal systems still export."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("the file is neither UTF-8 nor Shift_JIS text")


def _check_columns(columns: list[str]) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in columns]
    if unknown or missing:
        parts = ([f"unknown columns: {', '.join(unknown)}"] if unknown else []) + (
            [f"missing columns: {', '.join(missing)}"] if missing else [])
        raise FileRefused("; ".join(parts), columns=unknown + missing)
    if not any(k in columns for k in PERSON_KEYS):
        raise FileRefused("a column resident_number or platform_person_id is required",
                          columns=list(PERSON_KEYS))


def read_csv(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number of the row's first line, values); the header is line 1."""
    reader = csv.reader(io.StringIO(_text(content), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FileRefused("the file is empty") from None
    except csv.Error as exc:
        raise FileRefused(f"not CSV: {exc}") from None
    columns = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    _check_columns(columns)
    line = reader.line_num + 1
    try:
        for record in reader:
            if any(v.strip() for v in record):
                if len(record) != len(columns):
                    yield line, {"__width__": str(len(record))}
                else:
                    yield line, dict(zip(columns, record, strict=True))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileRefused(f"CSV broken at line {line}: {exc}") from None


def read_json(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """``[{...}, …]`` or ``{"rows": [...]}``; a row's "line" is its position, from 1."""
    try:
        document = json.loads(_text(content))
    except ValueError as exc:
        raise FileRefused(f"not JSON: {exc}") from None
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise FileRefused('expected a list of rows or {"rows": [...]}')
    columns = sorted({k for r in rows if isinstance(r, dict) for k in r})
    _check_columns(columns)
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            yield index, {"__width__": "not an object"}
            continue
        yield index, {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                      for k, v in row.items()}


class _Row:
    """Reads one row's fields; every problem is collected, not only the first."""

    def __init__(self, line: int, values: Mapping[str, str]) -> None:
        self.line, self.values = line, values
        self.problems: list[RowProblem] = []

    def bad(self, name: str, reason: str) -> None:
        self.problems.append(RowProblem(self.line, name, reason))

    def text(self, name: str) -> str:
        return unicodedata.normalize("NFKC", self.values.get(name, "")).strip()

    def amount(self, name: str, *, required: bool = False) -> int:
        raw = self.text(name).replace(",", "")
        if not raw:
            if required:
                self.bad(name, "required")
            return 0
        if not _DIGITS.match(raw) or int(raw) > MAX_AMOUNT:
            self.bad(name, "a whole number of yen, 0 or more")
            return 0
        return int(raw)

    def count(self, name: str) -> int:
        raw = self.text(name)
        if not raw:
            return 0
        if not _DIGITS.match(raw) or int(raw) > 20:
            self.bad(name, "a number of persons, 0 to 20")
            return 0
        return int(raw)

    def day(self, name: str, *, required: bool = False) -> date | None:
        raw = self.text(name).replace("/", "-")
        if not raw:
            if required:
                self.bad(name, "required")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.bad(name, "a date YYYY-MM-DD")
            return None

    def choice(self, name: str, kind: Any, default: Any) -> Any:
        raw = self.text(name).lower()
        if not raw:
            return default
        try:
            return kind(raw)
        except ValueError:
            self.bad(name, "one of " + ", ".join(v.value for v in kind))
            return default

    def flag(self, name: str) -> bool:
        raw = self.text(name).lower()
        if raw in _TRUE or raw in _FALSE:
            return raw in _TRUE
        self.bad(name, "true or false")
        return False

    def kana(self, name: str) -> str:
        # Not through NFKC first: normalize_kana folds widths and voicing marks itself.
        value = normalize_kana(self.values.get(name, ""))
        if not value:
            self.bad(name, "required")
        elif not is_katakana(value):
            self.bad(name, "フリガナ in katakana")
        return value


def _row(line: int, values: Mapping[str, str], fiscal_year: int,
         today: date) -> SalaryReportRow | list[RowProblem]:
    if "__width__" in values:
        return [RowProblem(line, "row", f"the row has {values['__width__']} fields, "
                                        "not one per column")]
    r = _Row(line, values)
    employer = r.text("employer_number")
    if not _DIGITS.match(employer) or len(employer) > 8:
        r.bad("employer_number", "特別徴収 指定番号: up to 8 digits")
    resident_number = r.text("resident_number") or None
    person_id = None
    if resident_number is not None and not is_valid_resident_number(resident_number):
        r.bad("resident_number", "not a valid 宛名番号 (check digit)")
    raw_id = r.text("platform_person_id")
    if raw_id:
        try:
            person_id = UUID(raw_id)
        except ValueError:
            r.bad("platform_person_id", "a UUID")
    if resident_number is None and not raw_id:
        r.bad("resident_number", "the employee's 宛名番号 or platform_person_id is required")
    birth = r.day("birth_date", required=True)
    if birth is not None and not date(1880, 1, 1) <= birth <= today:
        r.bad("birth_date", "not a plausible birth date")
    left_on = r.day("left_on")
    if left_on is not None and left_on.year != fiscal_year - 1:
        r.bad("left_on", f"the report is on income of {fiscal_year - 1}: 退職 in that year")
    row = SalaryReportRow(
        line=line, employer_number=employer.zfill(8), employer_name=r.text("employer_name"),
        resident_number=resident_number, platform_person_id=person_id,
        family_name_kana=r.kana("family_name_kana"), given_name_kana=r.kana("given_name_kana"),
        birth_date=birth or date.min, salary_income=r.amount("salary_income", required=True),
        social_insurance=r.amount("social_insurance"),
        other_deductions=r.amount("other_deductions"),
        spouse=r.choice("spouse", Spouse, Spouse.NONE),
        dependants=Dependants(**{c.removeprefix("dependants_"): r.count(c)
                                 for c in COUNT_COLUMNS}),
        disability=r.choice("disability", Disability, Disability.NONE),
        widowhood=r.choice("widowhood", Widowhood, Widowhood.NONE),
        working_student=r.flag("working_student"),
        collection=r.choice("collection", Method,
                            Method.ORDINARY if left_on else Method.SPECIAL),
        left_on=left_on,
    )
    return r.problems or row


def parse_salary_reports(content: bytes, *, file_format: str, fiscal_year: int,
                         today: date) -> ParsedFile:
    """Every row validated; duplicates of a row key within the file are refused."""
    records = read_csv(content) if file_format == "csv" else read_json(content)
    parsed = ParsedFile(rows=[], problems=[], received=0)
    first_line: dict[str, int] = {}
    for line, values in records:
        parsed.received += 1
        if parsed.received > MAX_ROWS:
            raise FileRefused(f"more than {MAX_ROWS:,} rows: split the file")
        result = _row(line, values, fiscal_year, today)
        if isinstance(result, list):
            parsed.problems.extend(result)
            continue
        earlier = first_line.setdefault(result.row_key, line)
        if earlier != line:
            parsed.problems.append(RowProblem(line, "resident_number",
                                              f"the same employer and employee as line {earlier}"))
            continue
        parsed.rows.append(result)
    return parsed
