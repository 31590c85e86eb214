"""照合番号: the short code printed on a certificate and carried in its QR code.

`152048-7K3M-Q9XD-2HPA`: the issuing municipality's code, then 60 random bits in Crockford
base32 (no I, L, O, U, so it survives being read aloud and retyped). The municipality prefix
lets the public check find the certificate in that tenant without a cross-tenant index; the
random part is what cannot be guessed.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4
_CODE = re.compile(r"([0-9]{6})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-"
                   r"([0-9A-HJKMNP-TV-Z]{4})")
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "–": "-", "ー": "-", " ": ""})
IN_PDF = re.compile(rb"kyodo-verify:([0-9]{6}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def new_code(municipality_code: str) -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
              for _ in range(GROUPS))
    return "-".join((municipality_code, *groups))


def parse_code(text: str) -> str | None:
    """The canonical form of a typed code (any case, O for 0, I/L for 1), or None."""
    normal = text.strip().upper().translate(_TYPED)
    return normal if _CODE.fullmatch(normal) else None


def municipality_of(code: str) -> str:
    return code[:6]


def marker(code: str) -> str:
    """How the code is written into the PDF's metadata, where verify-by-upload finds it."""
    return f"kyodo-verify:{code}"


def code_in_pdf(pdf: bytes) -> str | None:
    match = IN_PDF.search(pdf)
    return match.group(1).decode() if match else None
