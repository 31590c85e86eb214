"""All of Japan's 1,741 municipalities, generated: for the national-scale benchmark only.

No well-kept PyPI package ships the 全国地方公共団体コード list with populations (the few that
name municipalities are one-off uploads, years without a release), so the list is generated,
deterministically, with the country's real shape:

* the 47 prefectures with their JIS X 0401 codes, their real number of municipalities (they add
  up to 1,741: 792 市, 743 町, 183 村 and Tokyo's 23 特別区) and their 2020 census populations
  (thousands; 126.1 million in all);
* inside a prefecture, populations spread like the real ones: log-normal (σ = 1.6 in ln), the
  largest city a third or more of a rural prefecture (Tokyo's wards: σ = 0.5), the smallest
  villages a few hundred (the real 粟島浦村 has about 340 inhabitants, the largest city,
  横浜市, 3.77 million);
* 6-digit codes: the prefecture, then 1xx for Tokyo's wards, 2xx for cities, 3xx–4xx for towns
  and 5xx for villages, as the real codes are laid out, and the check digit
  (kyodo_common.tenancy.municipality_check_digit);
* the six demo municipalities (DOMAIN.md §1) keep their real codes, names and populations, so
  the national list contains the demo towns.

Names other than the demo towns' are made up ("新潟12町"): the benchmark needs their shape, not
their names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from kyodo_common.tenancy import municipality_check_digit

# (JIS code, name, English, municipalities, population in thousands, 2020 census)
PREFECTURES: tuple[tuple[str, str, str, int, int], ...] = (
    ("01", "北海道", "Hokkaido", 179, 5225), ("02", "青森県", "Aomori", 40, 1238),
    ("03", "岩手県", "Iwate", 33, 1211), ("04", "宮城県", "Miyagi", 35, 2302),
    ("05", "秋田県", "Akita", 25, 960), ("06", "山形県", "Yamagata", 35, 1068),
    ("07", "福島県", "Fukushima", 59, 1833), ("08", "茨城県", "Ibaraki", 44, 2867),
    ("09", "栃木県", "Tochigi", 25, 1933), ("10", "群馬県", "Gunma", 35, 1939),
    ("11", "埼玉県", "Saitama", 63, 7345), ("12", "千葉県", "Chiba", 54, 6284),
    ("13", "東京都", "Tokyo", 62, 14048), ("14", "神奈川県", "Kanagawa", 33, 9237),
    ("15", "新潟県", "Niigata", 30, 2201), ("16", "富山県", "Toyama", 15, 1035),
    ("17", "石川県", "Ishikawa", 19, 1133), ("18", "福井県", "Fukui", 17, 767),
    ("19", "山梨県", "Yamanashi", 27, 810), ("20", "長野県", "Nagano", 77, 2048),
    ("21", "岐阜県", "Gifu", 42, 1979), ("22", "静岡県", "Shizuoka", 35, 3633),
    ("23", "愛知県", "Aichi", 54, 7542), ("24", "三重県", "Mie", 29, 1770),
    ("25", "滋賀県", "Shiga", 19, 1414), ("26", "京都府", "Kyoto", 26, 2578),
    ("27", "大阪府", "Osaka", 43, 8838), ("28", "兵庫県", "Hyogo", 41, 5465),
    ("29", "奈良県", "Nara", 39, 1324), ("30", "和歌山県", "Wakayama", 30, 923),
    ("31", "鳥取県", "Tottori", 19, 553), ("32", "島根県", "Shimane", 19, 671),
    ("33", "岡山県", "Okayama", 27, 1888), ("34", "広島県", "Hiroshima", 23, 2800),
    ("35", "山口県", "Yamaguchi", 19, 1342), ("36", "徳島県", "Tokushima", 24, 720),
    ("37", "香川県", "Kagawa", 17, 950), ("38", "愛媛県", "Ehime", 20, 1335),
    ("39", "高知県", "Kochi", 34, 692), ("40", "福岡県", "Fukuoka", 60, 5135),
    ("41", "佐賀県", "Saga", 20, 811), ("42", "長崎県", "Nagasaki", 21, 1312),
    ("43", "熊本県", "Kumamoto", 45, 1738), ("44", "大分県", "Oita", 18, 1124),
    ("45", "宮崎県", "Miyazaki", 26, 1070), ("46", "鹿児島県", "Kagoshima", 43, 1588),
    ("47", "沖縄県", "Okinawa", 41, 1467),
)
TOTAL_MUNICIPALITIES = 1741
TOKYO_WARDS = 23
TOKYO_WARDS_POPULATION = 9_733_000
# The real split: 792 cities, 743 towns, 183 villages (besides the wards).
CITY_SHARE = 792 / (TOTAL_MUNICIPALITIES - TOKYO_WARDS)
VILLAGE_SHARE = 183 / (TOTAL_MUNICIPALITIES - TOKYO_WARDS)
SIGMA = 1.6
SMALLEST = 150  # no municipality is smaller (the real 青ヶ島村 has about 170)

# The demo municipalities (kyodo_identity.domain.demo) with their real populations.
DEMO = {
    "152021": ("長岡市", "Nagaoka", 266_936, "city"),
    "152048": ("三条市", "Sanjo", 94_642, "city"),
    "152111": ("見附市", "Mitsuke", 39_041, "city"),
    "152251": ("魚沼市", "Uonuma", 34_426, "city"),
    "155861": ("粟島浦村", "Awashimaura", 341, "village"),
    "082201": ("つくば市", "Tsukuba", 241_656, "city"),
}
_SUFFIX = {"ward": ("区", "ku"), "city": ("市", "shi"), "town": ("町", "machi"),
           "village": ("村", "mura")}
_FIRST_SLOT = {"ward": 101, "city": 201, "town": 301, "village": 501}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    name_en: str
    prefecture: str
    kind: str  # ward, city, town, village
    population: int


def with_check_digit(first_five: str) -> str:
    return first_five + str(municipality_check_digit(first_five))


def _spread(count: int, total: int, sigma: float = SIGMA) -> list[int]:
    """``count`` populations adding up to about ``total``: log-normal quantiles, largest first."""
    if count <= 0:
        return []
    normal = NormalDist()
    raw = [math.exp(sigma * normal.inv_cdf(1 - (k + 0.5) / count)) for k in range(count)]
    scale = total / sum(raw)
    return [max(SMALLEST, round(r * scale)) for r in raw]


def _kinds(pref: str, count: int) -> list[str]:
    """Kinds by rank of population, the largest first."""
    wards = TOKYO_WARDS if pref == "13" else 0
    rest = count - wards
    cities = max(1, round(rest * CITY_SHARE))
    villages = round(rest * VILLAGE_SHARE)
    towns = rest - cities - villages
    return ["ward"] * wards + ["city"] * cities + ["town"] * towns + ["village"] * villages


def municipalities() -> list[Municipality]:
    """The 1,741, in code order."""
    out: list[Municipality] = []
    for pref, name, name_en, count, thousands in PREFECTURES:
        demo = {code: d for code, d in DEMO.items() if code.startswith(pref)}
        taken = {code[:5] for code in demo}
        population = thousands * 1000 - sum(d[2] for d in demo.values())
        kinds = _kinds(pref, count)
        if pref == "13":  # the 23 wards hold 9.73 of Tokyo's 14.05 million
            generated = (_spread(TOKYO_WARDS, TOKYO_WARDS_POPULATION, 0.5)
                         + _spread(count - TOKYO_WARDS, population - TOKYO_WARDS_POPULATION))
        else:
            generated = _spread(count - len(demo), population)
        # The demo towns take the place of generated ones of their kind and size.
        for *_, kind in demo.values():
            kinds.remove(kind)
        stem = name.removesuffix("県").removesuffix("府").removesuffix("都")
        serial = dict.fromkeys(_SUFFIX, 0)
        slot = dict(_FIRST_SLOT)
        for kind, pop in zip(kinds, generated, strict=True):
            while f"{pref}{slot[kind]:03d}" in taken:
                slot[kind] += 1
            first_five = f"{pref}{slot[kind]:03d}"
            slot[kind] += 1
            serial[kind] += 1
            suffix, suffix_en = _SUFFIX[kind]
            out.append(Municipality(with_check_digit(first_five),
                                    f"{stem}{serial[kind]}{suffix}",
                                    f"{name_en}-{suffix_en}-{serial[kind]}", name, kind, pop))
        for code, (town, town_en, pop, kind) in demo.items():
            out.append(Municipality(code, town, town_en, name, kind, pop))
    out.sort(key=lambda m: m.code)
    return out


def shares(total_residents: int, items: list[Municipality]) -> list[tuple[Municipality, int]]:
    """Residents per municipality in proportion to its population (at least one each)."""
    population = sum(m.population for m in items)
    return [(m, max(1, round(total_residents * m.population / population))) for m in items]
