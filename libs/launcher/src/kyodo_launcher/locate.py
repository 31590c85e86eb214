"""Finding the running platform from any directory.

`kyodo up` keeps its state in <var>/run/platform.json and leaves a pointer to <var> under
$XDG_RUNTIME_DIR/kyodo/ (or $XDG_STATE_HOME/kyodo/, ~/.local/state/kyodo/), one file per
launcher. The other commands use, in order: --var-dir; KYODO_VAR_DIR; ./var when a platform
state is there; the pointer of a launcher that still runs (the latest started, if several).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kyodo_launcher.processes import pid_alive

STATE = Path("run") / "platform.json"


def pointer_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "kyodo"
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "kyodo"


def leave_pointer(var_dir: Path, launcher_pid: int) -> Path:
    directory = pointer_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"platform-{launcher_pid}.json"
    path.write_text(json.dumps({"var_dir": str(var_dir.resolve()), "launcher_pid": launcher_pid}))
    return path


def running_var_dirs() -> list[Path]:
    """The var directories of the launchers that still run, the latest started first; the
    pointers of launchers that are gone are removed."""
    found: list[tuple[float, Path]] = []
    directory = pointer_dir()
    for path in directory.glob("platform-*.json") if directory.exists() else ():
        try:
            pointer = json.loads(path.read_text())
            alive = pid_alive(int(pointer["launcher_pid"]))
        except (OSError, ValueError, KeyError):
            continue
        if not alive:
            path.unlink(missing_ok=True)
            continue
        found.append((path.stat().st_mtime, Path(pointer["var_dir"])))
    return [var for _, var in sorted(found, reverse=True)]


def var_dir_of_running_platform(explicit: Path | None) -> Path | None:
    """The var directory the commands should use; None: the settings' default (./var)."""
    if explicit is not None:
        return explicit
    if os.environ.get("KYODO_VAR_DIR") or (Path("var") / STATE).exists():
        return None
    running = running_var_dirs()
    return running[0] if running else None
