"""The counter workload of bench/capacity.py as numbers: what a municipality's counters ask of
the platform per inhabitant, in which proportions, and at the March–April peak hour.

Each figure names its source; where no public source was found it says "assumption".

Sources
-------
* [MOVES] 総務省統計局「住民基本台帳人口移動報告」: 2019 (the last year before COVID-19):
  市区町村間移動者数 5,403,465 (年報 2019, as reported by kancho-t.com/?p=16806). March and
  April 2020 were 965,051 (+6.0 % on March 2019) and 764,186 (−0.4 % on April 2019) (月報,
  reported by 観光経済新聞); so March 2019 ≈ 910,400 and April 2019 ≈ 767,300: March is
  16.8 % of the year (2.02× an average month), March + April 31.0 %. The report counts only
  moves across a municipality's boundary (www.stat.go.jp/data/idou/2.htm).
* [WITHIN] 総務省「令和4年就業構造基本調査」表18100 (転居者, by where they lived before):
  同一市区町村 46,865,700, 他の市区町村 28,285,300 + 他の都道府県 18,071,000 = 46,356,300.
  Moves within a municipality (転居) are as many as moves between municipalities (ratio 1.01);
  the same calendar is assumed for them (no monthly series of 転居 was found).
* [POPULATION] 2020 census: 126.1 million (bench/_municipalities.py).
* [CERTIFICATES] 奈良市議会 平成30年 会議録 (gijiroku.jp/narashi/134): 窓口での証明書交付総数
  平成28年度 337,891 for about 357,000 inhabitants: 0.95 certificates per inhabitant a year,
  every kind (住民票の写し, 印鑑登録証明書, 戸籍, 税証明). Plus コンビニ交付 31.89 million in
  FY2023 across Japan (J-LIS, reported by 共同通信 2024-11-09): 0.25 per inhabitant. So about
  1.2 certificates per inhabitant a year of every kind; the split between kinds is an
  assumption: 住民票の写し 0.5, 課税・所得証明書 0.15 (印鑑登録証明書 and 戸籍 are not on
  this platform).

Assumptions (no public source found)
-----------------------------------
* one procedure per mover (a household moving together is one procedure: this overstates the
  load);
* certificates 1.3× their average month in March (movers need 住民票 for school, work and
  car registration);
* other departments' and telephone inquiries (照会): 0.5 lookups per inhabitant a year;
  the tax office's reads of assessments: 0.2 per inhabitant a year, not seasonal in March
  (their peak is June, when the tax notices go out);
* 243 counter days a year (weekdays less holidays and 12/29–1/3), 8.5 counter hours a day
  (8:30–17:00), everything in counter hours (the kiosks' evening hours would spread it);
* the busiest day of March–April is 1.5× that month's average day (the last days of March,
  the first Monday of April), and the busiest hour 1.5× the day's average hour.

Requests per transaction follow the counter app's pages (services/counter; bench/counter.py
lists the API calls each page makes): a search, the person's page (the resident and the
household), the procedure's or certificate's page (again the resident and/or the household),
then the write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

P99_LIMIT_MS = 300.0
POPULATION = 126_146_051  # bench/_municipalities.py: the 2020 census
MOVES_2019 = 5_403_465  # [MOVES] 市区町村間移動者数
MARCH_2019 = 965_051 / 1.060  # [MOVES] March 2020 was +6.0 % on March 2019
MARCH_FACTOR = MARCH_2019 / (MOVES_2019 / 12)  # 2.02× an average month
WITHIN_RATIO = 46_865_700 / (28_285_300 + 18_071_000)  # [WITHIN] 1.01
MOVES_PER_INHABITANT = MOVES_2019 / POPULATION  # 0.043 a year
CERTIFICATE_MARCH_FACTOR = 1.3  # assumption
COUNTER_DAYS = 243  # assumption
COUNTER_HOURS = 8.5  # assumption
PEAK_DAY_FACTOR = 1.5  # assumption
PEAK_HOUR_FACTOR = 1.5  # assumption
# The other reading (PERFORMANCE.md, ADR 0020): a published sizing of a comparable
# platform, 60 requests/s per 100,000 inhabitants at the peak, which counts every screen's
# calls: an upper bound, reported beside the figure derived here.
PUBLISHED_PEAK_PER_100K = 60.0

# The kinds of request the load sends, each one HTTP request through the gateway.
KINDS = {
    "get": "GET resident by id",
    "search": "kana search",
    "household": "household read",
    "move_in": "転入 (move-in)",
    "relocation": "転居 (relocation)",
    "move_out": "転出 (household move-out)",
    "residence_certificate": "住民票の写し (PDF)",
    "tax_certificate": "課税証明書 (PDF)",
    "tax_read": "tax record read",
}


@dataclass(frozen=True)
class Transaction:
    name: str
    per_inhabitant_year: float
    march_factor: float  # the peak month against the year's average month
    requests: Mapping[str, int]  # kind → requests per transaction
    source: str


TRANSACTIONS: tuple[Transaction, ...] = (
    Transaction("転入", MOVES_PER_INHABITANT, MARCH_FACTOR, {"search": 1, "move_in": 1},
                "MOVES"),
    Transaction("転出", MOVES_PER_INHABITANT, MARCH_FACTOR,
                {"search": 1, "get": 1, "household": 2, "move_out": 1}, "MOVES"),
    Transaction("転居", MOVES_PER_INHABITANT * WITHIN_RATIO, MARCH_FACTOR,
                {"search": 1, "get": 1, "household": 2, "relocation": 1}, "WITHIN"),
    Transaction("住民票の写し", 0.5, CERTIFICATE_MARCH_FACTOR,
                {"search": 1, "get": 2, "household": 2, "residence_certificate": 1},
                "CERTIFICATES + assumption"),
    Transaction("課税証明書", 0.15, CERTIFICATE_MARCH_FACTOR,
                {"search": 1, "get": 2, "household": 1, "tax_certificate": 1},
                "CERTIFICATES + assumption"),
    Transaction("照会", 0.5, 1.0, {"search": 1, "get": 1}, "assumption"),
    Transaction("税務照会", 0.2, 1.0, {"tax_read": 1}, "assumption"),
)


def requests_per_inhabitant_year(transactions: Sequence[Transaction] = TRANSACTIONS,
                                 peak: bool = True) -> dict[str, float]:
    """kind → requests per inhabitant a year (at the March rate when ``peak``)."""
    out = dict.fromkeys(KINDS, 0.0)
    for t in transactions:
        factor = t.march_factor if peak else 1.0
        for kind, count in t.requests.items():
            out[kind] += t.per_inhabitant_year * factor * count
    return out


def mix(transactions: Sequence[Transaction] = TRANSACTIONS) -> dict[str, float]:
    """kind → its share of the requests at the March–April peak (the shares sum to 1)."""
    yearly = requests_per_inhabitant_year(transactions)
    total = sum(yearly.values())
    return {kind: n / total for kind, n in yearly.items()}


def peak_requests_per_second_per_inhabitant(
        transactions: Sequence[Transaction] = TRANSACTIONS) -> float:
    """Requests per second that one inhabitant causes in the busiest hour of March–April."""
    yearly = sum(requests_per_inhabitant_year(transactions).values())  # at March's rate
    per_peak_day = yearly / COUNTER_DAYS * PEAK_DAY_FACTOR
    per_peak_hour = per_peak_day / COUNTER_HOURS * PEAK_HOUR_FACTOR
    return per_peak_hour / 3600


def passes(step: Mapping[str, Any], limit_ms: float = P99_LIMIT_MS) -> bool:
    """A step holds: answers, none failed, none left out (a move with no household left
    would change the mix), p99 within the limit."""
    p99 = step.get("p99_ms")
    return (step.get("ok", 0) > 0 and step.get("errors", 1) == 0
            and step.get("skipped", 0) == 0 and p99 is not None
            and p99 == p99 and p99 <= limit_ms)


def capacity_step(steps: Sequence[Mapping[str, Any]], limit_ms: float = P99_LIMIT_MS
                  ) -> Mapping[str, Any] | None:
    """The passing step of the highest offered rate (None when none passed)."""
    passing = [s for s in steps if passes(s, limit_ms)]
    return max(passing, key=lambda s: s["rate_per_s"]) if passing else None


def inhabitants_served(requests_per_second: float, cores: float,
                       per_inhabitant: float | None = None) -> dict[str, float]:
    """Inhabitants whose peak-hour counter traffic ``requests_per_second`` carries, in all and
    per core."""
    per_inhabitant = per_inhabitant or peak_requests_per_second_per_inhabitant()
    inhabitants = requests_per_second / per_inhabitant
    return {"inhabitants": inhabitants,
            "per_core": inhabitants / cores if cores > 0 else float("nan")}
