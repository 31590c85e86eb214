"""What the tax unit tests share: the shipped rule book, tenants' amounts, a shortcut."""

from __future__ import annotations

from importlib import resources
from typing import Any

from kyodo_tax.domain.assessment import Assessment, assess
from kyodo_tax.domain.facts import MunicipalTaxConfig, TaxpayerFacts
from kyodo_tax.domain.rulebook import RuleBook, RuleSet, load_rule_book, parse_rule_set

RULES: RuleBook = load_rule_book()
R3, R5, R6, R7, R8 = 2021, 2023, 2024, 2025, 2026
# DOMAIN.md §1: the Niigata municipalities and Tsukuba (茨城県 adds 1,000 to its part).
NAGAOKA = MunicipalTaxConfig(per_capita_municipal=3000, per_capita_prefectural=1000,
                             forest_environment_tax=1000, kyuchi=1)
TSUKUBA = MunicipalTaxConfig(per_capita_municipal=3000, per_capita_prefectural=2000,
                             forest_environment_tax=1000, kyuchi=1)
DESIGNATED = MunicipalTaxConfig(per_capita_municipal=3000, per_capita_prefectural=1000,
                                forest_environment_tax=1000, kyuchi=1, designated_city=True)


def with_unverified(old: str, new: str, fiscal_year: int = 2025) -> RuleSet:
    """A shipped rule set with one rule marked unverified (``old`` replaced by ``new``): the
    shipped files now mark nothing unverified, and the setting must still work for a file that
    does."""
    text = (resources.files("kyodo_tax.rules") / f"fy{fiscal_year}.toml").read_text("utf-8")
    assert old in text
    return parse_rule_set(text.replace(old, new, 1), source=f"fy{fiscal_year}.toml")


def config(**changes: Any) -> MunicipalTaxConfig:
    values = {"per_capita_municipal": 3000, "per_capita_prefectural": 1000,
              "forest_environment_tax": 1000, "kyuchi": 1, "designated_city": False}
    values.update(changes)
    return MunicipalTaxConfig(**values)


def tax(fiscal_year: int = R7, *, tenant: MunicipalTaxConfig = NAGAOKA,
        allow_unverified: bool = False, **facts: Any) -> Assessment:
    return assess(TaxpayerFacts(fiscal_year=fiscal_year, **facts), RULES.for_year(fiscal_year),
                  tenant, allow_unverified=allow_unverified)
