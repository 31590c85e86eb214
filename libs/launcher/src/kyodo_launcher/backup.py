"""`kyodo backup` and `kyodo restore`: every service database with pg_dump / pg_restore.

A backup is a directory: one custom-format dump per service database, a manifest (when, which
server version, each file's size and SHA-256), and, for a platform `kyodo up` runs, a copy of
its keys (var/keys.json: the certificates' signatures verify only with them). The dumps are
each consistent on their own (pg_dump takes one snapshot per database), not with each other:
after a restore, `kyodo up` publishes every service's outbox again (no republish points are
kept across a restore) and the consumers' inboxes apply only what their databases lack.

A restore replaces each database: it is dropped (its connections ended) and created again,
owned by its owner role with this platform's passwords, then filled by pg_restore as the
superuser. The dumps carry owners and grants by role name, which are the same everywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg

from kyodo_launcher.catalogue import SERVICES, ServiceSpec
from kyodo_launcher.provision import ensure_database, with_database

MANIFEST = "manifest.json"
KEYS = "keys.json"


class BackupError(Exception):
    pass


def pg_tool(name: str) -> str:
    """The embedded server's client (its version matches), else the one on PATH."""
    try:
        from kyodo_launcher.postgres import _bin_dir

        embedded = _bin_dir() / name
        if embedded.exists():
            return str(embedded)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found (install the PostgreSQL client tools)")
    return found


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore; the password in the environment, never
    in the command line (which `ps` shows to every user)."""
    parts = urlsplit(url)
    args = ["--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 5432),
            "--username", unquote(parts.username or "postgres"),
            "--dbname", parts.path.lstrip("/"), "--no-password"]
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(databases: Mapping[str, str], destination: Path,
           keys: Path | None = None) -> dict[str, Any]:
    """Dump each service's database (``databases``: service -> a URL that sees every row: the
    superuser's, or the owner's on a server where it may bypass row-level security)."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    destination.chmod(0o700)  # the dumps hold every resident's data
    manifest: dict[str, Any] = {"taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                "format": "pg_dump custom", "services": {}}
    for service, url in databases.items():
        path = destination / f"{service}.dump"
        args, env = _libpq(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--file", str(path), *args], env,
             f"pg_dump of {service}")
        manifest["services"][service] = {"database": urlsplit(url).path.lstrip("/"),
                                         "file": path.name, "bytes": path.stat().st_size,
                                         "sha256": _sha256(path)}
    if keys is not None and keys.exists():
        shutil.copyfile(keys, destination / KEYS)
        (destination / KEYS).chmod(0o600)
        manifest["keys"] = KEYS
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking every dump against it."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in {source}") from exc
    for service, entry in manifest["services"].items():
        path = source / entry["file"]
        if not path.exists() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"the dump of {service} is missing or damaged ({path})")
    return manifest


async def _recreate(admin_url: str, spec: ServiceSpec, passwords: Mapping[str, str]) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{spec.database}" WITH (FORCE)')
    finally:
        await conn.close()
    await ensure_database(admin_url, spec, passwords)  # roles, owner, grants of connect


async def restore(source: Path, admin_url: str, passwords: Mapping[str, str],
                  services: list[str] | None = None) -> list[str]:
    """Replace each backed-up service database on the server of ``admin_url`` (a superuser)."""
    manifest = read_manifest(source)
    restored = []
    for spec in SERVICES:
        entry = manifest["services"].get(spec.name)
        if entry is None or (services and spec.name not in services):
            continue
        await _recreate(admin_url, spec, passwords)
        args, env = _libpq(with_database(admin_url, spec.database))
        _run([pg_tool("pg_restore"), "--exit-on-error", "--single-transaction", *args,
              str(source / entry["file"])], env, f"pg_restore of {spec.name}")
        restored.append(spec.name)
    return restored
