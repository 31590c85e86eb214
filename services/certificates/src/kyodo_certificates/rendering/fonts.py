"""The Japanese font, installed with the project: IPAex Gothic from the matplotlib-fontja wheel.

No system font is used: the TrueType file ships in a PyPI wheel (IPA Font License, which
permits embedding), reportlab embeds the subset of glyphs each PDF uses, so every viewer shows
the same text. The package is located without importing it (importing it loads matplotlib).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "IPAexGothic"
_PACKAGE = "matplotlib_fontja"


def font_path() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the font package {_PACKAGE} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise RuntimeError(f"IPAex Gothic not found at {path}")
    return path


@cache
def register_font() -> str:
    """Parse the font once per process (about 0.15 s); returns its name for setFont."""
    pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    return FONT
