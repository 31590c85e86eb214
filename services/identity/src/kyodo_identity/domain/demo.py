"""The demo tenants of DOMAIN.md §1: the five Niigata joint-cloud municipalities and Tsukuba."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoMunicipality:
    code: str
    name: str
    name_en: str
    prefecture: str
    config: dict[str, Any] = field(default_factory=dict)


def _per_capita(prefectural: int) -> dict[str, Any]:
    return {"per_capita": {"municipal": 3000, "prefectural": prefectural, "forest_env": 1000},
            "kyuchi": 1, "certificate_fee_yen": 300}


DEMO_MUNICIPALITIES = (
    DemoMunicipality("152021", "長岡市", "Nagaoka", "新潟県", _per_capita(1000)),
    DemoMunicipality("152048", "三条市", "Sanjo", "新潟県", _per_capita(1000)),
    DemoMunicipality("152111", "見附市", "Mitsuke", "新潟県", _per_capita(1000)),
    DemoMunicipality("152251", "魚沼市", "Uonuma", "新潟県", _per_capita(1000)),
    DemoMunicipality("155861", "粟島浦村", "Awashimaura", "新潟県", _per_capita(1000)),
    # 茨城県 adds 1,000 yen 森林湖沼環境税 to its per-capita amount.
    DemoMunicipality("082201", "つくば市", "Tsukuba", "茨城県", _per_capita(2000)),
)

DEMO_STAFF = (
    ("admin", "kyodo-admin", ("tenant_admin",)),
    ("clerk", "kyodo-clerk", ("counter_clerk",)),
)

DEMO_OPERATOR = ("operator", "kyodo-operator")
