"""`kyodo up`'s keys: generated once per data directory, each process given only its own."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kyodo_common.assertion import load_private_key, load_public_keys, public_text
from kyodo_launcher.keys import every_setting, local_keys, service_env

SERVICES = ("gateway", "identity", "residents", "certificates", "tax", "disaster",
            "automation", "webhooks")
APPS = ("counter",)  # the people's apps: their own keys too
PUBLIC = "KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS"


def test_each_process_gets_the_gateways_public_key_and_only_its_own_keys(
        tmp_path: Path) -> None:
    keys = local_keys(tmp_path)
    owners: dict[str, str] = {}
    for service in (*SERVICES, *APPS):
        env = service_env(keys, service)
        assert env[PUBLIC] == keys["gateway_assertion_public_keys"]
        for setting, value in env.items():
            if setting != PUBLIC:
                assert value not in owners, (service, setting, owners.get(value))
                owners[value] = service
    assert set(owners.values()) == {"gateway", "identity", "residents", "certificates",
                                    "automation", "webhooks", "counter"}
    assert "KYODO_GATEWAY_ASSERTION_KEY" not in {
        s for service in SERVICES if service != "gateway" for s in service_env(keys, service)}
    private = load_private_key(service_env(keys, "gateway")["KYODO_GATEWAY_ASSERTION_KEY"])
    assert public_text(private.public_key()) == public_text(
        load_public_keys(keys["gateway_assertion_public_keys"])[0])
    assert set(every_setting(keys)) == {s for svc in (*SERVICES, *APPS)
                                        for s in service_env(keys, svc)}


def test_keys_are_kept_private_and_reused_on_the_next_start(tmp_path: Path) -> None:
    first = local_keys(tmp_path)
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert local_keys(tmp_path) == first


def test_a_service_added_since_gets_its_own_key_and_the_others_are_kept(
        tmp_path: Path) -> None:
    first = local_keys(tmp_path)
    earlier = {k: v for k, v in first.items() if k != "webhooks_secret_keys"}
    (tmp_path / "keys.json").write_text(json.dumps(earlier))
    again = local_keys(tmp_path)
    assert {k: again[k] for k in earlier} == earlier
    assert service_env(again, "webhooks")["KYODO_WEBHOOKS_SECRET_KEYS"]
    assert local_keys(tmp_path) == again
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600


def test_an_earlier_data_directorys_shared_secret_stays_behind_the_new_keys_of_what_it_sealed(
        tmp_path: Path) -> None:
    (tmp_path / "secrets.json").write_text(json.dumps({"postgres": "p", "roles": "r",
                                                       "internal": "earlier-secret"}))
    keys = local_keys(tmp_path)
    for service, setting in (("residents", "KYODO_MY_NUMBER_KEYS"),
                             ("certificates", "KYODO_CERTIFICATES_SEALING_KEYS"),
                             ("automation", "KYODO_AUTOMATION_ACCOUNT_KEYS")):
        newest, earlier = service_env(keys, service)[setting].split(",")
        assert earlier == "earlier-secret" and newest != earlier
    for service in ("gateway", "identity", "tax", "disaster"):
        assert "earlier-secret" not in json.dumps(service_env(keys, service))


def test_a_data_directory_from_before_the_pdf_root_ca_gets_one_kept_private(
        tmp_path: Path) -> None:
    earlier = local_keys(tmp_path)
    del earlier["certificates_root_ca"]
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(earlier))
    path.chmod(0o644)
    keys = local_keys(tmp_path)
    assert {k: v for k, v in keys.items() if k != "certificates_root_ca"} == earlier
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_keys(tmp_path) == keys  # made once, then kept
    pem = base64.b64decode(service_env(keys, "certificates")["KYODO_CERTIFICATES_ROOT_CA"])
    certificate = x509.load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERT"):])
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    key = serialization.load_pem_private_key(pem, password=None)
    assert key.public_key() == certificate.public_key()
