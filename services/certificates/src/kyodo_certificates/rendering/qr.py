"""The QR code of the verification URL, drawn as one vector path (no image, no PIL)."""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET = 2  # modules of white border inside `size` (the page margin adds the rest)


@lru_cache(maxsize=4)
def _matrix(data: str) -> tuple[bytearray, ...]:
    """Made once per copy although every sheet shows it (a signed statement's code is
    version ~14: 3 ms of pure Python)."""
    # A fixed mask: choosing the "best" one costs 10 ms of pure Python per code, and any
    # mask gives a valid code that readers decode.
    return tuple(segno.make_qr(data, error="m", mask=1).matrix)


def draw_qr(canvas: Canvas, data: str, *, x: float, y: float, size: float) -> None:
    matrix = _matrix(data)
    modules = len(matrix) + 2 * QUIET
    unit = size / modules
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + QUIET + 1) * unit
        c = 0
        while c < len(row):  # one rectangle per run of dark modules: fewer operators
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (start + QUIET) * unit, top, (c - start) * unit, unit)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
