"""A municipality's tenant configuration: tax amounts, 級地, fees, mayor, 元年, CORS origins,
and its own purpose codes (ADR 0013)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kyodo_common import purposes


class PerCapita(BaseModel):
    """均等割: per-capita resident tax amounts in yen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    municipal: int = Field(ge=0, le=100_000, description="市町村民税均等割")
    prefectural: int = Field(ge=0, le=100_000, description="道府県民税均等割 (with local add-ons)")
    forest_env: int = Field(ge=0, le=10_000, description="森林環境税")


# A 所得割 rate as a decimal fraction of 課税標準 ("0.06" is 6 %): exact text, never a float,
# at most five places (超過課税 such as 8.025 % is "0.08025").
MAX_INCOME_LEVY_RATE = Decimal("0.2")


def _income_levy_rate(value: str) -> str:
    if not Decimal(0) < Decimal(value) <= MAX_INCOME_LEVY_RATE:
        raise ValueError(f"a rate above 0 and at most {MAX_INCOME_LEVY_RATE}")
    return value


IncomeLevyRate = Annotated[str, Field(pattern=r"^0\.[0-9]{1,5}$", examples=["0.06"]),
                           AfterValidator(_income_levy_rate)]


class IncomeLevyRates(BaseModel):
    """所得割 rates of this municipality (DOMAIN.md §1: per-tenant configuration), for a town
    that levies more (超過課税) or less than the standard; 調整控除 keeps its legal split."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    municipal: IncomeLevyRate = Field(description="市町村民税所得割の税率 (standard 0.06, "
                                                  "指定都市 0.08)")
    prefectural: IncomeLevyRate = Field(description="道府県民税所得割の税率 (standard 0.04, "
                                                    "指定都市 0.02)")


def _origin(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("an origin is http(s)://host[:port]")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError("an origin has no path, query, fragment or credentials")
    return f"{parts.scheme}://{parts.netloc.lower()}"


Origin = Annotated[str, Field(max_length=200), AfterValidator(_origin)]


def _local_code(value: str) -> str:
    if not purposes.is_code(value) or not purposes.is_local(value):
        raise ValueError("a municipality's own purpose code is local-… in lower-case ASCII "
                         "words joined by hyphens, at most 64 characters")
    return value


LocalCode = Annotated[str, AfterValidator(_local_code)]


class LocalPurpose(BaseModel):
    """A purpose of reads this municipality adds to the platform's standard vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    label: str = Field(min_length=1, max_length=100, examples=["除雪計画の作成"],
                       description="the purpose in Japanese, as staff choose it")
    label_en: str | None = Field(default=None, max_length=200, examples=["snow-clearing plans"],
                                 description="the purpose in English")


# The certificates whose fee a municipality sets one by one: 住民票の写し, 課税証明書,
# 罹災証明書, 被災証明書 (the certificates service's kinds).
CertificateKind = Literal["residence", "tax", "damage", "damage_report"]
Yen = Annotated[int, Field(ge=0, le=10_000)]


def _mayor(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("a mayor's name is printed on certificates: leave it out, or name them")
    return value.strip() if value is not None else None


class TenantConfig(BaseModel):
    """What varies between municipalities on the shared platform."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_capita: PerCapita = Field(description="均等割 (per-capita resident tax) amounts in yen")
    kyuchi: int = Field(default=1, ge=1, le=3, description="級地")
    certificate_fee_yen: int = Field(default=300, ge=0, le=10_000, description="証明書手数料")
    mayor_name: Annotated[str | None, AfterValidator(_mayor)] = Field(
        default=None, max_length=100, description="市町村長名, printed on certificates")
    certificate_fees_yen: dict[CertificateKind, Yen] = Field(
        default_factory=dict, description="手数料 per kind of certificate, overriding "
        "certificate_fee_yen; 罹災証明書 (damage) and 被災証明書 (damage_report) are free unless "
        "listed", examples=[{"residence": 300, "tax": 350, "damage": 0}])
    gannen: bool = Field(default=True, description="元年表示: the first year of an era printed "
                                                   "as 令和元年 (true) or 令和1年 (false)")
    designated_city: bool = Field(default=False, description="政令指定都市")
    cors_origins: list[Origin] = Field(default_factory=list, max_length=20,
                                       description="browser origins allowed to call the API for "
                                                   "this municipality")
    purposes: dict[LocalCode, LocalPurpose] = Field(
        default_factory=dict, max_length=100,
        description="this municipality's own purpose codes (local-…) with their labels; the "
                    "platform's standard codes need no entry (ADR 0013)")
    income_levy_rates: IncomeLevyRates | None = Field(
        default=None, description="所得割 rates; absent: the standard rates of the fiscal "
                                  "year's rules (6 % / 4 %, 指定都市 8 % / 2 %)")
