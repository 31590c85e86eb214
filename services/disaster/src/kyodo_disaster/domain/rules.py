"""The service's rules as data: application windows, self-assessment, support amounts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from kyodo_disaster.domain.grades import Grade


@dataclass(frozen=True)
class WindowRules:
    min_months: int
    max_months: int
    max_extended_months: int
    opens_within_months: int


@dataclass(frozen=True)
class AdditionalRule:
    """加算支援金 for one rebuilding method."""

    name: str
    verified: bool
    amounts: dict[Grade, int]


@dataclass(frozen=True)
class SupportRules:
    base: dict[Grade, int]
    additional: dict[str, AdditionalRule]
    single_person_factor: Decimal
    single_person_verified: bool


@dataclass(frozen=True)
class Rules:
    window: WindowRules
    self_assessment_below: Decimal
    support: SupportRules


def _by_grade(table: dict[str, Any]) -> dict[Grade, int]:
    return {Grade.from_code(code): int(amount) for code, amount in table.items()
            if code not in ("name", "verified")}


def parse_rules(document: dict[str, Any]) -> Rules:
    """Rules from a parsed TOML document; a missing or mistyped entry raises here, at start."""
    window = document["application_window"]
    support = document["support"]
    single = support["single_person_household"]
    return Rules(
        window=WindowRules(min_months=int(window["min_months"]),
                           max_months=int(window["max_months"]),
                           max_extended_months=int(window["max_extended_months"]),
                           opens_within_months=int(window["opens_within_months"])),
        self_assessment_below=Decimal(document["self_assessment"]["below_ratio"]),
        support=SupportRules(
            base=_by_grade(support["base"]),
            additional={method: AdditionalRule(name=str(table["name"]),
                                               verified=bool(table["verified"]),
                                               amounts=_by_grade(table))
                        for method, table in support["additional"].items()},
            single_person_factor=Decimal(single["factor"]),
            single_person_verified=bool(single["verified"]),
        ),
    )


def load_rules(path: Path | None = None) -> Rules:
    """The packaged rules, or a deployment's own file."""
    if path is None:
        text = (resources.files("kyodo_disaster") / "rules" / "default.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return parse_rules(tomllib.loads(text))
