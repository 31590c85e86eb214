"""The QR code of the verification URL, drawn as one vector path (no image, no PIL)."""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET = 2  # modules of white border inside `size` (the page margin adds the rest)


@lru_cache(maxsize=4)
def _operators(data: str) -> tuple[int, str]:
    """The code's modules across and its fill path in module units, made once per copy
    although every sheet shows it: a signed statement's code (version ~14) costs ~5 ms of
    pure Python to make, and drawing its runs through reportlab's path API as much again."""
    # A fixed mask: choosing the "best" one costs 10 ms of pure Python per code, and any
    # mask gives a valid code that readers decode.
    matrix = segno.make_qr(data, error="m", mask=1).matrix
    size = len(matrix)
    rects = []
    for r, row in enumerate(matrix):
        c = 0
        while c < size:  # one rectangle per run of dark modules: fewer operators
            if row[c]:
                start = c
                while c < size and row[c]:
                    c += 1
                rects.append(f"{start} {size - r - 1} {c - start} 1 re")
            else:
                c += 1
    return size, "\n".join((*rects, "f"))


def draw_qr(canvas: Canvas, data: str, *, x: float, y: float, size: float) -> None:
    modules, path = _operators(data)
    unit = size / (modules + 2 * QUIET)
    canvas.saveState()
    canvas.transform(unit, 0, 0, unit, x + QUIET * unit, y + QUIET * unit)
    canvas.addLiteral(path)
    canvas.restoreState()


def forget() -> None:
    """Drops the made codes (a benchmark rendering one document again and again)."""
    _operators.cache_clear()
