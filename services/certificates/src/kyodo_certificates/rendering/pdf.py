"""Draws a Document on A4 pages: header on every sheet, certification on the last only.

The output is deterministic (reportlab's invariant mode: no creation time, a content-derived
document id), so the same Document always gives the same bytes and the same SHA-256.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kyodo_certificates.domain.document import Document, Line, Sheet
from kyodo_certificates.domain.verification_code import marker
from kyodo_certificates.rendering.fonts import for_font, register_font
from kyodo_certificates.rendering.qr import draw_qr

WIDTH, HEIGHT = A4
MARGIN = 42.0
LABEL_WIDTH = 112.0
ROW = 13.5
SIZE = 9.5
SEAL_RED = Color(0.78, 0.1, 0.1)


def _fast_deflate(self: object, text: str | bytes) -> bytes:
    return zlib.compress(text.encode() if isinstance(text, str) else text, 1)


# reportlab deflates at zlib's default level 6; level 1 is a fifth of a one-person certificate's
# rendering time cheaper for 5 % more bytes (the embedded font subset dominates both).
pdfdoc.PDFStreamFilterZCompress.encode = _fast_deflate


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Breaks a value into lines that fit (Japanese breaks between any two characters)."""
    lines: list[str] = []
    for paragraph in for_font(text).split("\n"):  # a variation sequence is one character
        current, used = "", 0.0
        for char in paragraph:
            w = stringWidth(char, font, size)
            if current and used + w > width:
                lines.append(current)
                current, used = "", 0.0
            current += char
            used += w
        lines.append(current)
    return lines


class _Page:
    def __init__(self, canvas: Canvas, font: str) -> None:
        self.c, self.font = canvas, font

    def text(self, x: float, y: float, text: str, size: float = SIZE, *,
             align: str = "left") -> None:
        self.c.setFont(self.font, size)
        text = for_font(text)
        if align == "center":
            self.c.drawCentredString(x, y, text)
        elif align == "right":
            self.c.drawRightString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def lines(self, y: float, lines: Sequence[Line], *, left: float = MARGIN) -> float:
        """A two-column table of labels and values; returns the y below it."""
        right = WIDTH - MARGIN
        value_width = right - left - LABEL_WIDTH - 8
        for line in lines:
            parts = wrap(line.value, self.font, SIZE, value_width) or [""]
            height = ROW * len(parts)
            self.c.setLineWidth(0.4)
            self.c.rect(left, y - height, right - left, height, stroke=1, fill=0)
            self.c.line(left + LABEL_WIDTH, y, left + LABEL_WIDTH, y - height)
            label_size = SIZE - 0.5
            while stringWidth(line.label, self.font, label_size) > LABEL_WIDTH - 6:
                label_size -= 0.5  # a long label (住所（令和6年1月1日現在）) shrinks to fit
            self.text(left + 4, y - ROW + 3.8, line.label, label_size)
            for i, part in enumerate(parts):
                self.text(left + LABEL_WIDTH + 4, y - ROW * (i + 1) + 3.8, part)
            y -= height
        return y


def _sheet(page: _Page, doc: Document, sheet: Sheet, number: int) -> None:
    c = page.c
    if doc.issue_numbers:
        page.text(WIDTH - MARGIN, HEIGHT - 28, f"交付番号　{doc.issue_numbers[number - 1]}",
                  7.5, align="right")
    page.text(WIDTH / 2, HEIGHT - 68, doc.title, 20, align="center")
    y = page.lines(HEIGHT - 92, doc.header)
    for block in sheet.blocks:
        y -= 10
        if block.heading:
            page.text(MARGIN, y - 10, block.heading, SIZE + 0.5)
            y -= 15
        c.setLineWidth(1.0)
        top = y
        y = page.lines(y, block.lines)
        c.rect(MARGIN, y, WIDTH - 2 * MARGIN, top - y, stroke=1, fill=0)
    last = number == doc.pages
    if last:
        _certification(page, doc, y)
    else:
        page.text(WIDTH - MARGIN, y - 16, "（次頁に続く）", SIZE, align="right")
    _footer(page, doc)


def _certification(page: _Page, doc: Document, y: float) -> None:
    page.text(WIDTH - MARGIN, y - 16, "以下余白", SIZE, align="right")
    y = min(y - 40, 250.0)
    for note in doc.notes:
        y -= 18
        page.text(MARGIN, y, note, SIZE)
    page.text(MARGIN + 14, y - 30, doc.certification, 11.5)
    page.text(MARGIN + 14, y - 54, doc.issued_on_text, 11.5)
    page.text(WIDTH - MARGIN - 70, y - 84, doc.issuer, 14, align="right")
    _seal(page, WIDTH - MARGIN - 58, y - 106, doc.municipality_name)


def _seal(page: _Page, x: float, y: float, name: str) -> None:
    """職印 as printed by the issuing system (a red square with the office name)."""
    c = page.c
    c.saveState()
    c.setStrokeColor(SEAL_RED)
    c.setFillColor(SEAL_RED)
    c.setLineWidth(1.6)
    c.rect(x, y, 52, 52, stroke=1, fill=0)
    text = f"{name}長之印"
    rows = [text[i:i + 3] for i in range(0, len(text), 3)]
    size = min(12.0, 44 / max(3, len(rows)))
    top = y + 26 + size * len(rows) / 2  # the rows centred in the square
    for i, row in enumerate(rows):
        page.text(x + 26, top - size * (i + 1) + 1.5, row, size, align="center")
    c.restoreState()
    c.setFillColor(black)


def _footer(page: _Page, doc: Document) -> None:
    size = 62.0
    if doc.verify_url:
        draw_qr(page.c, doc.qr or doc.verify_url, x=MARGIN, y=MARGIN - 8, size=size)
    left = MARGIN + size + 10
    page.text(left, MARGIN + 40, f"照合番号　{doc.verification_code}", 10)
    page.text(left, MARGIN + 25, "この証明書は電子署名されています。真正性は照合番号または"
                                 "QRコードで確認できます。", 7.5)
    page.text(left, MARGIN + 13, doc.verify_url, 7.5)


def render(doc: Document) -> bytes:
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(doc.title)
    canvas.setAuthor(doc.municipality_name)
    canvas.setCreator("Kyodo certificates")
    canvas.setKeywords(marker(doc.verification_code))
    page = _Page(canvas, font)
    for number, sheet in enumerate(doc.sheets, start=1):
        _sheet(page, doc, sheet, number)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
