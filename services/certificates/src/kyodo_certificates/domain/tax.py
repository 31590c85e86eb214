"""課税証明書 / 非課税証明書: one fiscal year's income and tax, from the levying municipality."""

from __future__ import annotations

from datetime import date

from kyodo_certificates.domain.dates import (
    birth_date_text,
    calendar_year_text,
    fiscal_year_text,
    wareki,
)
from kyodo_certificates.domain.document import Block, Document, Line, Sheet
from kyodo_certificates.domain.kinds import Kind
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.domain.rules import january_first
from kyodo_certificates.upstream.tax import TaxAssessed

UNDECLARED = "＊"  # amounts of a person who made no declaration (DOMAIN §5)
CERTIFY = "上記のとおり証明します。"


def title(assessment: TaxAssessed) -> str:
    """A year without tax is certified as 非課税 (DOMAIN §5)."""
    return "非課税証明書" if assessment.total == 0 else "課税証明書"


def _yen(amount: int | None, declared: bool) -> str:
    if not declared:
        return UNDECLARED
    return "" if amount is None else f"{amount:,}円"


def tax_document(assessment: TaxAssessed, person: Registered, *,
                 municipality: Municipality, issued_on: date) -> Document:
    gannen, declared = municipality.gannen, assessment.declared
    year = assessment.fiscal_year
    incomes = [Line(f"{i.kind}収入", _yen(i.revenue, declared))
               for i in assessment.incomes if i.revenue is not None]
    incomes += [Line(f"{i.kind}所得", _yen(i.income, declared)) for i in assessment.incomes]
    incomes += [Line("総所得金額等", _yen(assessment.total_income, declared)),
                Line("所得控除額合計", _yen(assessment.deductions, declared)),
                Line("課税標準額", _yen(assessment.taxable_income, declared))]
    a = assessment
    taxes = (
        Line("市町村民税　所得割額", _yen(a.municipal_income_levy, declared)),
        Line("市町村民税　均等割額", _yen(a.municipal_per_capita, declared)),
        Line("道府県民税　所得割額", _yen(a.prefectural_income_levy, declared)),
        Line("道府県民税　均等割額", _yen(a.prefectural_per_capita, declared)),
        Line("森林環境税", _yen(a.forest_env, declared)),
        Line("年税額", _yen(a.total, declared)),
    )
    family = (Line("控除対象配偶者", "有" if a.spouse_deduction else "無"),
              Line("扶養親族数", f"{a.dependants}人"))
    header = (
        Line(f"住所（{wareki(january_first(year), gannen=gannen)}現在）",
             a.address_on_january_1),
        Line("氏名", person.name),
        Line("生年月日", birth_date_text(person.birth_date, person.birth_date_partial,
                                     foreign=person.foreign, gannen=gannen)),
    )
    sheet = Sheet((
        Block(f"所得（{calendar_year_text(year - 1, gannen=gannen)}）", tuple(incomes)),
        Block(f"税額（{fiscal_year_text(year, gannen=gannen)}）", taxes),
        Block("扶養等", family),
    ))
    return Document(
        kind=Kind.TAX.value, title=f"{title(a)}（{fiscal_year_text(year, gannen=gannen)}）",
        municipality_code=municipality.code, municipality_name=municipality.name,
        issuer=municipality.issuer, issued_on=issued_on.isoformat(),
        issued_on_text=wareki(issued_on, gannen=gannen), header=header, sheets=(sheet,),
        certification=CERTIFY, fee_yen=municipality.fee_for(Kind.TAX),
    )
