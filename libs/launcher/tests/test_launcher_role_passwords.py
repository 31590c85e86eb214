"""Each database role's own password: kept by `kyodo up` in var/, read by `kyodo migrate` from
one variable per role, and never shared between two roles."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from kyodo_launcher.catalogue import SERVICES, all_roles
from kyodo_launcher.config import local_role_passwords, role_password_variable, role_passwords_from
from kyodo_launcher.provision import check_passwords


def test_every_role_of_every_service_gets_its_own_password_kept_private(tmp_path: Path) -> None:
    passwords = local_role_passwords(tmp_path, all_roles())
    assert sorted(passwords) == sorted(all_roles())
    assert len(set(passwords.values())) == len(passwords) == 3 * len(SERVICES)
    path = tmp_path / "db-roles.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_role_passwords(tmp_path, all_roles()) == passwords  # kept across starts


def test_a_role_without_a_password_gets_one_and_the_others_keep_theirs(tmp_path: Path) -> None:
    (tmp_path / "db-roles.json").write_text(json.dumps({"kyodo_tax_app": "kept"}))
    passwords = local_role_passwords(tmp_path, ["kyodo_tax_app", "kyodo_tax_owner"])
    assert passwords["kyodo_tax_app"] == "kept"
    assert passwords["kyodo_tax_owner"] not in ("", "kept")
    assert json.loads((tmp_path / "db-roles.json").read_text()) == passwords
    assert stat.S_IMODE((tmp_path / "db-roles.json").stat().st_mode) == 0o600


def test_migrate_reads_one_variable_per_role() -> None:
    assert role_password_variable("kyodo_residents_owner") == "KYODO_DB_PASSWORD_RESIDENTS_OWNER"
    environ = {"KYODO_DB_PASSWORD_TAX_APP": "a", "KYODO_DB_PASSWORD_TAX_RELAY": ""}
    assert role_passwords_from(environ, ["kyodo_tax_app", "kyodo_tax_relay",
                                         "kyodo_tax_owner"]) == {"kyodo_tax_app": "a"}


def test_two_roles_with_one_password_or_a_role_without_one_are_refused() -> None:
    roles = ["kyodo_tax_owner", "kyodo_tax_app", "kyodo_tax_relay"]
    check_passwords({"kyodo_tax_owner": "o", "kyodo_tax_app": "a", "kyodo_tax_relay": "r"},
                    roles)
    with pytest.raises(ValueError, match="kyodo_tax_app and kyodo_tax_relay") as shared:
        check_passwords({"kyodo_tax_owner": "o", "kyodo_tax_app": "s3cret",
                         "kyodo_tax_relay": "s3cret"}, roles)
    assert "s3cret" not in str(shared.value)
    with pytest.raises(ValueError, match="kyodo_tax_owner"):
        check_passwords({"kyodo_tax_app": "a", "kyodo_tax_relay": "r"}, roles)
