"""Which characters a certificate can print: those of the font the certificates embed.

A name or an address the register accepts is printed on a 住民票, so the register refuses at
input what the font cannot draw (issue #18: 𠮷田 was stored, then printed as ☒田). The table,
printable.txt beside this module, is generated from the font's cmap by
libs/jp/scripts/printable_from_font.py; services/certificates' tests check it against the
font it embeds. It holds code points and the variation sequences (IVS) the font draws: 辻 alone
is U+8FBB, 辻 U+8FBB U+E0102 a distinct registered form, and a selector the font does not know
for that base is refused rather than silently dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from importlib.resources import files


def _is_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@cache
def _table() -> tuple[list[int], list[int], dict[int, frozenset[int]]]:
    """(starts, ends) of the code point ranges, and the selectors each base takes."""
    starts: list[int] = []
    ends: list[int] = []
    sequences: dict[int, frozenset[int]] = {}
    text = files("kyodo_jp").joinpath("printable.txt").read_text(encoding="ascii")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if ":" in line:
            base, selectors = line.split(":")
            sequences[int(base, 16)] = frozenset(int(s, 16) for s in selectors.split())
        else:
            first, _, last = line.partition("-")
            starts.append(int(first, 16))
            ends.append(int(last or first, 16))
    return starts, ends, sequences


def _covered(code: int) -> bool:
    starts, ends, _ = _table()
    at = bisect_right(starts, code) - 1
    return at >= 0 and code <= ends[at]


def describe(character: str) -> str:
    """How a character is named in a message: 𠮷 (U+20BB7); 辻󠄂 (U+8FBB U+E0102)."""
    return f"{character} ({' '.join(f'U+{ord(c):04X}' for c in character)})"


def unprintable(text: str) -> str | None:
    """The first character of `text` no certificate can print (with its variation selector,
    when it is the sequence that is not covered), or None when all of it prints."""
    _, _, sequences = _table()
    previous = ""
    for char in text:
        code = ord(char)
        if _is_selector(code):
            if previous and code in sequences.get(ord(previous), ()):
                previous = ""  # a selector applies once
                continue
            return previous + char
        if not _covered(code):
            return char
        previous = char
    return None


def unprintable_reason(text: str) -> str | None:
    """Why `text` cannot be printed on a certificate, naming the character, or None."""
    found = unprintable(text)
    if found is None:
        return None
    return f"{describe(found)} is not in the certificates' font (IPAmj明朝) and cannot be printed"
