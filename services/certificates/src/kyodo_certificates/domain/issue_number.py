"""交付番号: `YYYYMMDD <municipality> <terminal> <printer> <serial> <page>/<pages>` (DOMAIN §5)."""

from __future__ import annotations

from datetime import date

from kyodo_common.errors import InvalidInput

SERIAL_WIDTH = 3  # 011 in the example; wider serials are printed in full
STATION_MAX = 20


def issue_number(*, day: date, municipality_name: str, terminal: str, printer: str,
                 serial: int, page: int, pages: int) -> str:
    """The number printed on one page of one copy; every copy has its own serial."""
    if serial < 1 or not 1 <= page <= pages:
        raise ValueError("serials start at 1 and pages run from 1 to pages")
    return (f"{day:%Y%m%d} {municipality_name} {terminal} {printer} "
            f"{serial:0{SERIAL_WIDTH}d} {page}/{pages}")


def issue_numbers(*, day: date, municipality_name: str, terminal: str, printer: str,
                  serial: int, pages: int) -> tuple[str, ...]:
    return tuple(issue_number(day=day, municipality_name=municipality_name, terminal=terminal,
                              printer=printer, serial=serial, page=page, pages=pages)
                 for page in range(1, pages + 1))


def station(value: str, field: str) -> str:
    """A terminal or printer name: the number's fields are separated by spaces, so none inside."""
    value = value.strip()
    if not value or len(value) > STATION_MAX or any(c.isspace() for c in value) \
            or not value.isprintable():
        raise InvalidInput(field, f"1–{STATION_MAX} printable characters without spaces")
    return value
