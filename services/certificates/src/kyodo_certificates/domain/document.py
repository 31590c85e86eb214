"""A certificate as printed: the same fields render the PDF and make its signed content."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kyodo_common.certificate_qr import Statement, people_of


@dataclass(frozen=True)
class Line:
    """One labelled value (氏名: 三条 太郎); `value` may hold several lines."""

    label: str
    value: str


@dataclass(frozen=True)
class Block:
    """A group of lines: one person on a 住民票, one table on a 課税証明書."""

    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Sheet:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """Everything a certificate prints, page by page; `header` repeats on every sheet."""

    kind: str
    title: str
    municipality_code: str
    municipality_name: str
    issuer: str  # 三条市長 山田 一郎
    issued_on: str  # ISO date
    issued_on_text: str  # 令和6年5月2日
    header: tuple[Line, ...]
    sheets: tuple[Sheet, ...]
    certification: str  # printed on the last page only
    issue_numbers: tuple[str, ...] = ()  # one per sheet
    verification_code: str = ""
    verify_url: str = ""
    qr: str = ""  # the QR's text: verify_url#signed offline statement (ADR 0005 addendum)
    fee_yen: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def pages(self) -> int:
        return len(self.sheets)

    def canonical(self) -> bytes:
        """The signed content: sorted-key JSON of every printed field, UTF-8, no spaces."""
        return canonical_json(asdict(self))


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode()


def offline_statement(doc: Document) -> Statement:
    """What the QR's offline statement certifies: the fields a clerk compares by eye."""
    blocks = [[(line.label, line.value) for line in block.lines]
              for sheet in doc.sheets for block in sheet.blocks]
    return Statement(doc.verification_code, doc.kind, doc.municipality_code, doc.issued_on,
                     people_of(blocks))
