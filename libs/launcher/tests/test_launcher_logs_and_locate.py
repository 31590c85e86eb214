"""`kyodo logs` (merged, filtered, readable or JSON, followed) and finding the running
platform from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kyodo_launcher import locate, logview
from kyodo_launcher.cli import app

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _line(moment: str, service: str, message: str, *, municipality: str | None = None,
          trace: str | None = None, level: str = "INFO") -> str:
    return json.dumps({"time": f"2026-12-07T10:00:{moment}+00:00", "level": level,
                       "service": service, "logger": "x", "message": message,
                       "trace_id": trace, "municipality": municipality}) + "\n"


@pytest.fixture
def var(tmp_path: Path) -> Path:
    log = tmp_path / "var" / "log"
    log.mkdir(parents=True)
    (log / "residents.log").write_text(
        _line("01", "residents", "registered", municipality="152021", trace=TRACE)
        + _line("03", "residents", "registered", municipality="152048"))
    (log / "gateway.log").write_text(_line("02", "gateway", "proxied", trace=TRACE))
    (log / "postgres.log").write_text("2026-12-07 10:00:00 UTC LOG:  ready\n")
    return tmp_path / "var"


def test_the_tail_merges_components_in_time_order_and_filters(var: Path) -> None:
    entries, _ = logview.tail(var / "log", logview.Filters(), 10)
    assert [e["message"] for e in entries][-3:] == ["registered", "proxied", "registered"]
    by_trace, _ = logview.tail(var / "log", logview.Filters(trace_id=TRACE.upper()), 10)
    assert [e["component"] for e in by_trace] == ["residents", "gateway"]
    by_town, _ = logview.tail(var / "log", logview.Filters(municipality="152048"), 10)
    assert [e["municipality"] for e in by_town] == ["152048"]
    one, _ = logview.tail(var / "log", logview.Filters(components=("gateway",)), 10)
    assert [e["component"] for e in one] == ["gateway"]


def test_a_readable_line_has_time_level_component_tenant_message_and_trace() -> None:
    entry = logview.parse("residents", _line("01", "residents", "registered",
                                             municipality="152021", trace=TRACE))
    from rich.text import Text

    plain = Text.from_markup(logview.readable(entry)).plain
    assert plain == "10:00:01.000 INFO    residents [152021] registered trace 4bf92f35"
    text = logview.parse("postgres", "LOG:  [not markup]")
    assert Text.from_markup(logview.readable(text)).plain == "postgres LOG:  [not markup]"


def test_follow_prints_what_is_written_after_the_tail(var: Path) -> None:
    filters = logview.Filters(municipality="152021")
    _, offsets = logview.tail(var / "log", filters, 10)
    stop = threading.Event()
    seen: list[dict[str, object]] = []

    def reader() -> None:
        for entry in logview.follow(var / "log", filters, offsets, lambda: not stop.is_set(),
                                    interval=0.02):
            seen.append(entry)

    thread = threading.Thread(target=reader)
    thread.start()
    with (var / "log" / "residents.log").open("a") as f:
        f.write(_line("04", "residents", "moved", municipality="152021"))
        f.write(_line("05", "residents", "other town", municipality="152048"))
    (var / "log" / "tax-worker.log").write_text(
        _line("06", "tax-worker", "assessed", municipality="152021"))
    deadline = time.monotonic() + 5
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(5)
    assert [(e["component"], e["message"]) for e in seen] == [
        ("residents", "moved"), ("tax-worker", "assessed")]


def test_logs_json_and_unknown_components(var: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["logs", "gateway", "--json", "--var-dir", str(var)])
    assert result.exit_code == 0, result.output
    (entry,) = [json.loads(line) for line in result.output.splitlines()]
    assert entry["component"] == "gateway" and entry["trace_id"] == TRACE
    missing = runner.invoke(app, ["logs", "nobody", "--var-dir", str(var)])
    assert missing.exit_code == 1
    assert "there are: gateway, postgres, residents" in " ".join(missing.output.split())


def test_the_running_platform_is_found_from_any_directory(
    var: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.delenv("KYODO_VAR_DIR", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert locate.var_dir_of_running_platform(None) is None
    # A launcher that is gone leaves a pointer that is ignored and removed.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = locate.leave_pointer(tmp_path / "old", gone.pid)
    assert locate.var_dir_of_running_platform(None) is None and not stale.exists()
    pointer = locate.leave_pointer(var, os.getpid())
    assert locate.var_dir_of_running_platform(None) == var.resolve()
    assert locate.var_dir_of_running_platform(tmp_path / "x") == tmp_path / "x"
    result = CliRunner().invoke(app, ["logs", "gateway", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["message"] == "proxied"
    pointer.unlink()
