"""所得割 rates per municipality (DOMAIN.md §1): identity's MunicipalityConfigured carries a
town's own rates into tax's read model, and its assessments are computed with them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .tax_harness import TaxClerk, configure, new_person, register, report_csv, report_row, tax_app

pytestmark = pytest.mark.integration
AWASHIMAURA = "155861"
FY = 2025


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tax_db: Database,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield TaxClerk(client, AWASHIMAURA)


async def test_a_town_with_its_own_rates_assesses_with_them(clerk: TaxClerk,
                                                            tax_db: Database) -> None:
    """Salary 4,000,000 (給与所得 2,760,000), social insurance 600,000: 課税標準 1,730,000.
    Standard: 市 102,300, 県 68,200, total 175,500. At 6.5 % / 4.025 %: 市 112,450 − 1,500 →
    110,900, 県 69,632 − 1,000 → 68,600, total 184,500; back at the standard, 175,500 again."""
    await configure(tax_db, AWASHIMAURA, version=1)
    person = new_person()
    await register(tax_db, AWASHIMAURA, person, since=date(2010, 4, 1))
    await clerk.import_csv(report_csv([report_row(person, AWASHIMAURA, 4_000_000,
                                                  social_insurance=600_000)]), FY)
    standard = await clerk.assess(person, FY)
    assert standard.status_code == 201, standard.text
    assert standard.json()["total"] == 175_500

    await configure(tax_db, AWASHIMAURA, version=2,
                    income_levy_rates={"municipal": "0.065", "prefectural": "0.04025"})
    own = await clerk.assess(person, FY)
    assert own.status_code == 201, own.text
    levy = own.json()["income_levy"]
    assert (levy["municipal_gross"], levy["prefectural_gross"]) == (112_450, 69_632)
    assert (levy["municipal"], levy["prefectural"]) == (110_900, 68_600)
    assert (own.json()["version"], own.json()["total"], own.json()["difference"]) == (
        2, 184_500, 9_000)

    await configure(tax_db, AWASHIMAURA, version=1,  # an older version changes nothing
                    income_levy_rates={"municipal": "0.1", "prefectural": "0.1"})
    assert (await clerk.assess(person, FY)).status_code == 200
    await configure(tax_db, AWASHIMAURA, version=3)  # the standard rates again
    back = await clerk.assess(person, FY)
    assert (back.json()["version"], back.json()["total"]) == (3, 175_500)
