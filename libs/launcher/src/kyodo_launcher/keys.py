"""Keys per purpose: generated once, and each process given only its own (ADR 0003).

The gateway's Ed25519 private key signs assertions; every service gets only its public half.
Each service's own secret keys (the My Number data key, certificates' sealing key, identity's
key-encryption and fingerprint keys, automation's account key, webhooks' signing-secret key)
go to that service alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kyodo_common.assertion import new_gateway_key
from kyodo_common.crypto import new_secret_key

# Which key (by its name in var/keys.json) each process receives, under which setting.
_OWN: dict[str, dict[str, str]] = {
    "gateway": {"KYODO_GATEWAY_ASSERTION_KEY": "gateway_assertion_key"},
    "identity": {"KYODO_IDENTITY_KEY_ENCRYPTION_KEYS": "identity_key_encryption_keys",
                 "KYODO_IDENTITY_FINGERPRINT_KEY": "identity_fingerprint_key"},
    "residents": {"KYODO_MY_NUMBER_KEYS": "my_number_keys"},
    "certificates": {"KYODO_CERTIFICATES_SEALING_KEYS": "certificates_sealing_keys"},
    "automation": {"KYODO_AUTOMATION_ACCOUNT_KEYS": "automation_account_keys"},
    "webhooks": {"KYODO_WEBHOOKS_SECRET_KEYS": "webhooks_secret_keys"},
}
PUBLIC = "gateway_assertion_public_keys"
# Data sealed under the one shared secret of earlier versions: that secret stays an older
# key of these services in an earlier data directory, so what they sealed still opens.
_SEALED_BEFORE = ("my_number_keys", "certificates_sealing_keys", "automation_account_keys")


def generate() -> dict[str, str]:
    private, public = new_gateway_key()
    keys = {"gateway_assertion_key": private, PUBLIC: public}
    for own in _OWN.values():
        for name in own.values():
            keys.setdefault(name, new_secret_key())
    return keys


def local_keys(var_dir: Path) -> dict[str, str]:
    """The keys of a data directory (var/keys.json, 0600), generated on first start. For a
    directory from before keys per purpose, the shared secret it kept in secrets.json stays
    behind the new key of each service that sealed data with it, so that data still opens."""
    path = var_dir / "keys.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        missing = [n for own in _OWN.values() for n in own.values() if n not in loaded]
        if not missing:
            return loaded
        # A service added since (e.g. webhooks): its own key, the others' kept as they are.
        for name in missing:
            loaded[name] = new_secret_key()
        _write(path, loaded)
        return loaded
    keys = generate()
    earlier = var_dir / "secrets.json"
    legacy = json.loads(earlier.read_text()).get("internal") if earlier.exists() else None
    if legacy:
        for name in _SEALED_BEFORE:
            keys[name] = f"{keys[name]},{legacy}"
    _write(path, keys)
    return keys


def _write(path: Path, keys: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f)


def service_env(keys: dict[str, str], service: str) -> dict[str, str]:
    """The environment of one process: the gateway's public key, and its own keys only."""
    env = {"KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS": keys[PUBLIC]}
    env.update({setting: keys[name] for setting, name in _OWN.get(service, {}).items()})
    return env


def every_setting(keys: dict[str, str]) -> dict[str, str]:
    """Every key under its setting's name: for a deployment's secret store, which then hands
    each service its own (docker-compose.yml, deploy/k8s)."""
    settings = {"KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS": keys[PUBLIC]}
    for own in _OWN.values():
        settings.update({setting: keys[name] for setting, name in own.items()})
    return settings
