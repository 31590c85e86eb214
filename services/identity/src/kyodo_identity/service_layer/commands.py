"""Identity's commands: what a route asks for, built from path, body and headers, each run by
one handler (service_layer.handlers) through kyodo_common.write_pipeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kyodo_common.auth import Principal
from kyodo_common.write_pipeline import Command
from kyodo_identity.service_layer.municipalities import MunicipalityDetails
from kyodo_identity.service_layer.support_grants import GranteeRef, NewGrant


@dataclass(frozen=True)
class CreateStaff(Command):
    login: str
    password: str = field(repr=False)
    roles: list[str]


@dataclass(frozen=True)
class ChangeRoles(Command):
    actor: Principal
    staff_id: uuid.UUID
    roles: list[str]
    expected_version: int | None


@dataclass(frozen=True)
class DisableStaff(Command):
    actor: Principal
    staff_id: uuid.UUID
    token_lifetime_seconds: int


@dataclass(frozen=True)
class ChangeOwnPassword(Command):
    actor: Principal
    current: str = field(repr=False)
    new: str = field(repr=False)


@dataclass(frozen=True)
class RecordRefusedPassword(Command):
    """A wrong current password, audited after the change it refused was rolled back."""

    staff_id: str


@dataclass(frozen=True)
class LogOut(Command):
    actor: Principal
    refresh_token: str | None = field(repr=False)


@dataclass(frozen=True)
class RegisterClient(Command):
    actor: Principal
    name: str
    scopes: list[str]


@dataclass(frozen=True)
class RotateClientSecret(Command):
    client_id: str
    overlap_seconds: int


@dataclass(frozen=True)
class RevokeClient(Command):
    client_id: str


@dataclass(frozen=True)
class GrantSupport(Command):
    actor: Principal
    grantee: GranteeRef
    grant: NewGrant


@dataclass(frozen=True)
class RevokeSupportGrant(Command):
    actor: Principal
    grant_id: uuid.UUID


@dataclass(frozen=True)
class AddMunicipality(Command):
    details: MunicipalityDetails
    admin: tuple[str, str] | None = field(repr=False)


@dataclass(frozen=True)
class ConfigureMunicipality(Command):
    details: MunicipalityDetails
    expected_version: int | None


@dataclass(frozen=True)
class RotateSigningKeys(Command):
    retire_after_seconds: int
