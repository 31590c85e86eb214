"""Municipalities (tenants) as the operator API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kyodo_identity_events.tenant_config import TenantConfig
from pydantic import BaseModel, Field, field_validator

from kyodo_common.paging import Page
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_common.web import ApiModel
from kyodo_identity.api.schemas.staff import LOGIN_PATTERN
from kyodo_identity.service_layer.municipalities import MunicipalityDetails


class InitialAdmin(ApiModel):
    login: str = Field(pattern=LOGIN_PATTERN, description="the first administrator's login")
    initial_password: str = Field(min_length=1, max_length=200,
                                  description="the administrator's first password, to be changed "
                                              "at first login")


class MunicipalityUpdate(ApiModel):
    name: str = Field(min_length=1, max_length=50, examples=["三条市"],
                      description="the municipality's name in Japanese, e.g. 三条市")
    name_en: str = Field(min_length=1, max_length=100, examples=["Sanjo"],
                         description="the municipality's name in English, e.g. Sanjo")
    prefecture: str = Field(min_length=2, max_length=10, examples=["新潟県"],
                            description="都道府県 (prefecture), e.g. 新潟県")
    config: TenantConfig = Field(
        description="what varies between municipalities: per-capita tax amounts, CORS origins, "
                    "local purposes, …")

    def details(self) -> MunicipalityDetails:
        return MunicipalityDetails(name=self.name, name_en=self.name_en,
                                   prefecture=self.prefecture, config=self.config)


class MunicipalityCreate(MunicipalityUpdate):
    code: str = Field(description="全国地方公共団体コード, 6 digits with check digit",
                      examples=["152048"])
    admin: InitialAdmin | None = Field(default=None, description="its first tenant admin")

    @field_validator("code")
    @classmethod
    def _check_digit(cls, code: str) -> str:
        if not is_valid_municipality_code(code):
            raise ValueError("not a local government code (6 digits, valid check digit)")
        return code


class MunicipalityPublic(BaseModel):
    code: str = Field(description="全国地方公共団体コード (local government code), 6 digits")
    name: str = Field(description="the municipality's name in Japanese")
    name_en: str = Field(description="the municipality's name in English")
    prefecture: str = Field(description="都道府県 (prefecture)")
    config: TenantConfig = Field(description="what varies between municipalities")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")
    created_at: datetime = Field(description="when the municipality joined the platform")
    updated_at: datetime = Field(description="when its settings last changed")

    @classmethod
    def from_row(cls, row: Any) -> MunicipalityPublic:
        return cls(code=row.code, name=row.name, name_en=row.name_en,
                   prefecture=row.prefecture, config=TenantConfig.model_validate(row.config),
                   version=row.version, created_at=row.created_at, updated_at=row.updated_at)


MunicipalityList = Page[MunicipalityPublic]


class MunicipalityOrigins(BaseModel):
    code: str
    cors_origins: list[str]
    purposes: list[str] = Field(default_factory=list,
                                description="the municipality's own purpose codes (local-…)")


class InternalMunicipalities(BaseModel):
    generated_at: datetime
    municipalities: list[MunicipalityOrigins]
