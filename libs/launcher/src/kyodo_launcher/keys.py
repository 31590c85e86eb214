"""Keys per purpose: generated once, and each process given only its own (ADR 0003).

The gateway's Ed25519 private key signs assertions; every service gets only its public half.
Each service's own secret keys (the My Number data key, certificates' sealing key and the
root CA of its PDF signatures, identity's key-encryption and fingerprint keys, automation's
account key, webhooks' signing-secret key) go to that service alone; so does the counter
app's session key.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kyodo_common.assertion import new_gateway_key
from kyodo_common.crypto import new_secret_key

# Which key (by its name in var/keys.json) each process receives, under which setting.
_OWN: dict[str, dict[str, str]] = {
    "gateway": {"KYODO_GATEWAY_ASSERTION_KEY": "gateway_assertion_key"},
    "identity": {"KYODO_IDENTITY_KEY_ENCRYPTION_KEYS": "identity_key_encryption_keys",
                 "KYODO_IDENTITY_FINGERPRINT_KEY": "identity_fingerprint_key"},
    "residents": {"KYODO_MY_NUMBER_KEYS": "my_number_keys"},
    "certificates": {"KYODO_CERTIFICATES_SEALING_KEYS": "certificates_sealing_keys",
                     "KYODO_CERTIFICATES_ROOT_CA": "certificates_root_ca"},
    "automation": {"KYODO_AUTOMATION_ACCOUNT_KEYS": "automation_account_keys"},
    "webhooks": {"KYODO_WEBHOOKS_SECRET_KEYS": "webhooks_secret_keys"},
    # The counter app (an app, not a service): the key sealing its sessions at rest.
    "counter": {"KYODO_COUNTER_SESSION_KEYS": "counter_session_keys"},
}
PUBLIC = "gateway_assertion_public_keys"
# Data sealed under the one shared secret of earlier versions: that secret stays an older
# key of these services in an earlier data directory, so what they sealed still opens.
_SEALED_BEFORE = ("my_number_keys", "certificates_sealing_keys", "automation_account_keys")
# Keys that are not a random secret: their own generator.
_ROOT_CA = "certificates_root_ca"
ROOT_CA_NAME = "Kyodo Platform Root CA"
ROOT_CA_YEARS = 30


def new_root_ca(common_name: str = ROOT_CA_NAME) -> str:
    """The platform's root CA for certificate PDFs' signatures (ADR 0014): an EC P-256 key and
    its self-signed certificate, as one line (base64 of the PEM key followed by the PEM
    certificate) so that it fits an .env file or a secret's value. Only the certificates
    service receives it; relying parties receive only the certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kyodo"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC).replace(microsecond=0)
    public = key.public_key()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=365 * ROOT_CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    pem += cert.public_bytes(serialization.Encoding.PEM)
    return base64.b64encode(pem).decode()


def generate() -> dict[str, str]:
    private, public = new_gateway_key()
    keys = {"gateway_assertion_key": private, PUBLIC: public}
    _complete(keys)
    return keys


def _complete(keys: dict[str, str]) -> bool:
    """Adds every key that is missing (a key added by a later version); True if any was."""
    added = False
    for own in _OWN.values():
        for name in own.values():
            if name not in keys:
                keys[name] = new_root_ca() if name == _ROOT_CA else new_secret_key()
                added = True
    return added


def local_keys(var_dir: Path) -> dict[str, str]:
    """The keys of a data directory (var/keys.json, 0600), generated on first start. For a
    directory from before keys per purpose, the shared secret it kept in secrets.json stays
    behind the new key of each service that sealed data with it, so that data still opens."""
    path = var_dir / "keys.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        if _complete(loaded):  # keys a later version added (root CA, webhooks'): kept from now on
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
    os.fchmod(fd, 0o600)  # also when the file was there before with wider permissions
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
