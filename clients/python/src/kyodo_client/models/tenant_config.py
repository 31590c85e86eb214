from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.income_levy_rates import IncomeLevyRates
    from ..models.per_capita import PerCapita
    from ..models.tenant_config_certificate_fees_yen import (
        TenantConfigCertificateFeesYen,
    )
    from ..models.tenant_config_purposes import TenantConfigPurposes


T = TypeVar("T", bound="TenantConfig")


@_attrs_define
class TenantConfig:
    """What varies between municipalities on the shared platform.

    Attributes:
        per_capita (PerCapita): 均等割: per-capita resident tax amounts in yen.
        kyuchi (int | Unset): 級地 Default: 1.
        certificate_fee_yen (int | Unset): 証明書手数料 Default: 300.
        mayor_name (None | str | Unset): 市町村長名, printed on certificates
        certificate_fees_yen (TenantConfigCertificateFeesYen | Unset): 手数料 per kind of certificate, overriding
            certificate_fee_yen; 罹災証明書 (damage) and 被災証明書 (damage_report) are free unless listed
        gannen (bool | Unset): 元年表示: the first year of an era printed as 令和元年 (true) or 令和1年 (false) Default: True.
        designated_city (bool | Unset): 政令指定都市 Default: False.
        cors_origins (list[str] | Unset): browser origins allowed to call the API for this municipality
        purposes (TenantConfigPurposes | Unset): this municipality's own purpose codes (local-…) with their labels; the
            platform's standard codes need no entry (ADR 0013)
        income_levy_rates (IncomeLevyRates | None | Unset): 所得割 rates; absent: the standard rates of the fiscal year's
            rules (6 % / 4 %, 指定都市 8 % / 2 %)
    """

    per_capita: PerCapita
    kyuchi: int | Unset = 1
    certificate_fee_yen: int | Unset = 300
    mayor_name: None | str | Unset = UNSET
    certificate_fees_yen: TenantConfigCertificateFeesYen | Unset = UNSET
    gannen: bool | Unset = True
    designated_city: bool | Unset = False
    cors_origins: list[str] | Unset = UNSET
    purposes: TenantConfigPurposes | Unset = UNSET
    income_levy_rates: IncomeLevyRates | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.income_levy_rates import IncomeLevyRates

        per_capita = self.per_capita.to_dict()

        kyuchi = self.kyuchi

        certificate_fee_yen = self.certificate_fee_yen

        mayor_name: None | str | Unset
        if isinstance(self.mayor_name, Unset):
            mayor_name = UNSET
        else:
            mayor_name = self.mayor_name

        certificate_fees_yen: dict[str, Any] | Unset = UNSET
        if not isinstance(self.certificate_fees_yen, Unset):
            certificate_fees_yen = self.certificate_fees_yen.to_dict()

        gannen = self.gannen

        designated_city = self.designated_city

        cors_origins: list[str] | Unset = UNSET
        if not isinstance(self.cors_origins, Unset):
            cors_origins = self.cors_origins

        purposes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.purposes, Unset):
            purposes = self.purposes.to_dict()

        income_levy_rates: dict[str, Any] | None | Unset
        if isinstance(self.income_levy_rates, Unset):
            income_levy_rates = UNSET
        elif isinstance(self.income_levy_rates, IncomeLevyRates):
            income_levy_rates = self.income_levy_rates.to_dict()
        else:
            income_levy_rates = self.income_levy_rates

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "per_capita": per_capita,
            }
        )
        if kyuchi is not UNSET:
            field_dict["kyuchi"] = kyuchi
        if certificate_fee_yen is not UNSET:
            field_dict["certificate_fee_yen"] = certificate_fee_yen
        if mayor_name is not UNSET:
            field_dict["mayor_name"] = mayor_name
        if certificate_fees_yen is not UNSET:
            field_dict["certificate_fees_yen"] = certificate_fees_yen
        if gannen is not UNSET:
            field_dict["gannen"] = gannen
        if designated_city is not UNSET:
            field_dict["designated_city"] = designated_city
        if cors_origins is not UNSET:
            field_dict["cors_origins"] = cors_origins
        if purposes is not UNSET:
            field_dict["purposes"] = purposes
        if income_levy_rates is not UNSET:
            field_dict["income_levy_rates"] = income_levy_rates

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.income_levy_rates import IncomeLevyRates
        from ..models.per_capita import PerCapita
        from ..models.tenant_config_certificate_fees_yen import (
            TenantConfigCertificateFeesYen,
        )
        from ..models.tenant_config_purposes import TenantConfigPurposes

        d = dict(src_dict)
        per_capita = PerCapita.from_dict(d.pop("per_capita"))

        kyuchi = d.pop("kyuchi", UNSET)

        certificate_fee_yen = d.pop("certificate_fee_yen", UNSET)

        def _parse_mayor_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mayor_name = _parse_mayor_name(d.pop("mayor_name", UNSET))

        _certificate_fees_yen = d.pop("certificate_fees_yen", UNSET)
        certificate_fees_yen: TenantConfigCertificateFeesYen | Unset
        if isinstance(_certificate_fees_yen, Unset):
            certificate_fees_yen = UNSET
        else:
            certificate_fees_yen = TenantConfigCertificateFeesYen.from_dict(
                _certificate_fees_yen
            )

        gannen = d.pop("gannen", UNSET)

        designated_city = d.pop("designated_city", UNSET)

        cors_origins = cast(list[str], d.pop("cors_origins", UNSET))

        _purposes = d.pop("purposes", UNSET)
        purposes: TenantConfigPurposes | Unset
        if isinstance(_purposes, Unset):
            purposes = UNSET
        else:
            purposes = TenantConfigPurposes.from_dict(_purposes)

        def _parse_income_levy_rates(data: object) -> IncomeLevyRates | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                income_levy_rates_type_0 = IncomeLevyRates.from_dict(data)

                return income_levy_rates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IncomeLevyRates | None | Unset, data)

        income_levy_rates = _parse_income_levy_rates(d.pop("income_levy_rates", UNSET))

        tenant_config = cls(
            per_capita=per_capita,
            kyuchi=kyuchi,
            certificate_fee_yen=certificate_fee_yen,
            mayor_name=mayor_name,
            certificate_fees_yen=certificate_fees_yen,
            gannen=gannen,
            designated_city=designated_city,
            cors_origins=cors_origins,
            purposes=purposes,
            income_levy_rates=income_levy_rates,
        )

        return tenant_config
