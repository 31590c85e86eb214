"""Identity's rules without I/O: passwords, roles, grants, clients, cursors, config."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from kyodo_identity_events.tenant_config import TenantConfig
from pydantic import ValidationError

from kyodo_common.errors import InvalidInput, Problem
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_identity.api.etag import etag, expected_version
from kyodo_identity.domain import client_credentials, opaque
from kyodo_identity.domain.passwords import check_password
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.domain.roles import known_roles, scopes_for
from kyodo_identity.domain.support_grant import check_window, grantable, status

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_the_platform_code_can_never_name_a_municipality() -> None:
    assert len(PLATFORM_CODE) == 6
    assert not is_valid_municipality_code(PLATFORM_CODE)


@pytest.mark.parametrize(("password", "reason"), [
    ("short", "at least 12"),
    ("tanaka-is-my-name", "login"),
    ("aaaaaaaaaaaaaaaa", "repeat"),
    ("x" * 201, "at most"),
])
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password, login="tanaka", field="new_password")
    assert reason in refused.value.invalid_params[0]["reason"]
    assert refused.value.invalid_params[0]["name"] == "new_password"


def test_a_good_password_passes() -> None:
    check_password("correct horse battery", login="tanaka")


def test_roles_are_known_sorted_and_give_their_scopes() -> None:
    assert known_roles(["tax_officer", "auditor", "auditor"]) == ["auditor", "tax_officer"]
    with pytest.raises(InvalidInput):
        known_roles(["platform_operator"])
    with pytest.raises(InvalidInput):
        known_roles([])
    assert {"staff:manage", "clients:manage", "grants:manage", "audit:read"} <= scopes_for(
        ["tenant_admin"])


def test_only_work_scopes_can_be_granted() -> None:
    assert grantable(["residents:read", "tax:read"]) == ["residents:read", "tax:read"]
    for scope in ("staff:manage", "grants:manage", "audit:read", "mynumber:read"):
        with pytest.raises(InvalidInput):
            grantable([scope])


def test_grant_windows_last_at_most_90_days_and_end_in_the_future() -> None:
    check_window(NOW, NOW + timedelta(days=90), now=NOW)
    for start, end in [(NOW, NOW + timedelta(days=90, seconds=1)),
                       (NOW, NOW),
                       (NOW - timedelta(days=2), NOW - timedelta(days=1))]:
        with pytest.raises(InvalidInput) as refused:
            check_window(start, end, now=NOW)
        assert refused.value.invalid_params[0]["name"] == "valid_until"


def test_grant_status_follows_the_window_and_revocation() -> None:
    window = {"valid_from": NOW, "valid_until": NOW + timedelta(days=1)}
    assert status(**window, revoked_at=None, now=NOW - timedelta(seconds=1)) == "scheduled"
    assert status(**window, revoked_at=None, now=NOW) == "active"
    assert status(**window, revoked_at=None, now=NOW + timedelta(days=1)) == "expired"
    assert status(**window, revoked_at=NOW, now=NOW) == "revoked"


def test_client_ids_and_refresh_tokens_name_their_municipality() -> None:
    client_id = client_credentials.new_client_id("152048")
    assert client_credentials.municipality_of(client_id) == "152048"
    for bad in ("152049-abc", "nonsense", "152048-", "000000-abc"):
        assert client_credentials.municipality_of(bad) is None
    token = opaque.new_opaque("152048")
    assert opaque.municipality_of(token) == "152048"
    assert opaque.municipality_of("152048") is None
    assert opaque.digest(token) != token and len(opaque.digest(token)) == 64


def test_a_client_requests_a_subset_of_its_scopes() -> None:
    allowed = ["residents:read", "tax:read"]
    assert client_credentials.requested_scopes(None, allowed) == allowed
    assert client_credentials.requested_scopes("tax:read", allowed) == ["tax:read"]
    with pytest.raises(Problem) as refused:
        client_credentials.requested_scopes("tax:read tax:write", allowed)
    assert refused.value.status == 400
    with pytest.raises(InvalidInput):
        client_credentials.allowed_scopes(["mynumber:read"])


def test_tenant_config_is_typed_with_defaults() -> None:
    config = TenantConfig.model_validate({
        "per_capita": {"municipal": 3000, "prefectural": 1000, "forest_env": 1000},
        "cors_origins": ["HTTPS://Counter.Example.JP/"]})
    assert config.kyuchi == 1 and config.certificate_fee_yen == 300
    assert config.designated_city is False and config.mayor_name is None
    assert config.cors_origins == ["https://counter.example.jp"]
    assert config.income_levy_rates is None  # the standard 所得割 rates
    for bad in ({"kyuchi": 0}, {"cors_origins": ["ftp://x"]}, {"unknown": 1},
                *({"income_levy_rates": {"municipal": rate, "prefectural": "0.04"}}
                  for rate in ("0", "0.0", "0.20001", "6", "0.060001", "-0.06", 0.06))):
        with pytest.raises(ValidationError):
            TenantConfig.model_validate({
                "per_capita": {"municipal": 1, "prefectural": 1, "forest_env": 1}, **bad})


def test_etags_round_trip() -> None:
    assert expected_version(etag(7)) == 7
    assert expected_version('"7"') == 7
    assert expected_version(None) is None and expected_version("*") is None
    with pytest.raises(Problem):
        expected_version("W/\"seven\"")
