"""Text that may enter the platform: no control characters, no lone surrogates, no
non-characters. PostgreSQL refuses NUL in text (the request would end in a 500 and a closed
connection), and the others have no business in a name, an address or a search: they hide
text from the clerk, break exports and letters, or cannot be encoded at all.

Request bodies are checked by `kyodo_common.web.ApiModel` (every string of every field);
path and query parameters and headers by the app-wide dependency in `kyodo_common.web`;
anything else that reads text from a request uses `SafeText` or `refuse_controls`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator

from kyodo_common.errors import Problem

# Non-characters: U+FDD0..U+FDEF and the last two code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
# C0 (minus what multi-line text keeps), DEL, C1, surrogates (a JSON "\ud800" arrives lone).
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` may not be stored ("contains U+0000"), or None when it may."""
    if value.isprintable():  # the common case, in C: no Cc, Cs, Cn (so none of ours)
        return None
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if found is None:
        return None
    return f"contains a control character or non-character (U+{ord(found.group()):04X})"


def refuse_controls(name: str, value: str | None, *, multiline: bool = False) -> None:
    """Raises 422 naming `name` when `value` holds a character text may not hold."""
    if value is None:
        return
    reason = forbidden_character(value, multiline=multiline)
    if reason is not None:
        raise Problem(422, "Invalid input", detail=reason, kind="invalid-input",
                      invalid_params=[{"name": name, "reason": reason}])


# In a file of lines: C0 but tab, LF and CR, and DEL. These bytes are never part of a
# character in UTF-8 or Shift_JIS, so a file is checked before it is decoded.
_FILE_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_controls_in_file(content: bytes | str, name: str = "file") -> None:
    """Raises 422 naming the line of an uploaded file (CSV, YAML) that holds a control
    character; the rest of its checks are the importer's."""
    if isinstance(content, str):
        found_text = _MULTI_LINE.search(content)
        if found_text is None:
            return
        line, code = content.count("\n", 0, found_text.start()) + 1, ord(found_text.group())
    else:
        found = _FILE_CONTROLS.search(content)
        if found is None:
            return
        line, code = content.count(b"\n", 0, found.start()) + 1, found.group()[0]
    reason = f"line {line} contains a control character or non-character (U+{code:04X})"
    raise Problem(422, "Invalid input", detail=reason, kind="invalid-input",
                  invalid_params=[{"name": name, "reason": reason}])


def find_forbidden(value: Any, *, multiline: bool) -> tuple[str, str] | None:
    """The first string inside `value` (a string, or lists and dicts of them, keys too) that
    may not be stored: (its place, e.g. "[2].name" or "", and why), or None."""
    if isinstance(value, str):
        reason = forbidden_character(value, multiline=multiline)
        return None if reason is None else ("", reason)
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_forbidden(key, multiline=False)
            if found is not None:  # the key itself is not repeated: it is what is wrong
                return "(a key)", found[1]
            found = find_forbidden(item, multiline=multiline)
            if found is not None:
                return f".{key}{found[0]}", found[1]
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            found = find_forbidden(item, multiline=multiline)
            if found is not None:
                return f"[{index}]{found[0]}", found[1]
    return None


def _single_line(value: str) -> str:
    reason = forbidden_character(value)
    if reason is not None:
        raise ValueError(reason)
    return value


def _multi_line(value: str) -> str:
    reason = forbidden_character(value, multiline=True)
    if reason is not None:
        raise ValueError(reason)
    return value


class Multiline:
    """Marks an ApiModel field as free multi-line text: tab, LF and CR are kept there
    (e.g. `note: Annotated[str, MULTILINE]`); everything else is refused as in any field."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE = Multiline()

# For parameters outside a body model (form fields, a header read by hand).
SafeText = Annotated[str, AfterValidator(_single_line)]
SafeMultilineText = Annotated[str, AfterValidator(_multi_line)]
