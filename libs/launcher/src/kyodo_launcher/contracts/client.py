"""The Python client generated from the published contract (openapi-python-client), so that
the contract is exercised by its own users: the end-to-end tests and the benchmarks call the
platform through it. `make contracts` regenerates it; tests/contract fails when it is stale.

It is generated from the document a client sees, the gateway's merge of every service's
OpenAPI (kyodo_gateway.openapi.merge) over the committed per-service documents, so it needs
no running platform.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

CLIENT_DIR = Path("clients/python/src/kyodo_client")
# Bodies and answers that are files (PDF, CSV, YAML) are bytes for the client.
_CONFIG = {
    "project_name_override": "kyodo-client",
    "package_name_override": "kyodo_client",
    "content_type_overrides": {"application/yaml": "application/octet-stream",
                               "text/csv": "application/octet-stream",
                               "application/pdf": "application/octet-stream"},
}


def merged_openapi(documents: Mapping[str, str]) -> dict[str, Any]:
    """The gateway's document from the per-service ones (path `openapi/<service>.json`)."""
    from kyodo_common.public_routes import PUBLIC_ROUTES
    from kyodo_gateway.openapi import merge

    services = {Path(path).stem: json.loads(text) for path, text in documents.items()
                if path.startswith("openapi/") and path.endswith(".json")}
    return merge(services, PUBLIC_ROUTES)


def generate(document: Mapping[str, Any]) -> dict[str, str]:
    """The client package's files (path relative to the package → text)."""
    tool = Path(sys.executable).parent / "openapi-python-client"
    with tempfile.TemporaryDirectory() as work:
        spec, config, out = Path(work, "openapi.json"), Path(work, "config.yaml"), \
            Path(work, "kyodo_client")
        spec.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        config.write_text(yaml.safe_dump(_CONFIG), encoding="utf-8")
        # Its post-hooks format with ruff: the venv's, so the output is the same everywhere.
        env = {**os.environ, "PATH": f"{tool.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run(
            [str(tool), "generate", "--path", str(spec), "--config", str(config),
             "--output-path", str(out), "--meta", "none", "--overwrite"],
            capture_output=True, text=True, timeout=300, env=env, check=False)
        if result.returncode != 0 or not out.is_dir():
            raise RuntimeError(f"openapi-python-client failed:\n{result.stdout}\n{result.stderr}")
        if "Warning" in result.stdout:
            # An operation it cannot express is left out of the client: refuse instead.
            raise RuntimeError(f"openapi-python-client left something out:\n{result.stdout}")
        return {path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
                for path in sorted(out.rglob("*")) if _generated(path.relative_to(out))}


def _generated(relative: Path) -> bool:
    """The package's own files, not the caches its formatting or imports leave."""
    return relative.suffix in (".py", ".typed") and not any(
        part.startswith(".") or part == "__pycache__" for part in relative.parts)


def committed_client(root: Path) -> dict[str, str]:
    directory = root / CLIENT_DIR
    return {path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(directory.rglob("*"))
            if path.is_file() and _generated(path.relative_to(directory))} \
        if directory.is_dir() else {}


def write_client(root: Path, files: Mapping[str, str]) -> bool:
    """Replaces the committed client with `files`; whether anything changed."""
    if committed_client(root) == dict(files):
        return False
    directory = root / CLIENT_DIR
    shutil.rmtree(directory, ignore_errors=True)
    for path, text in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return True
