"""Comparing the committed contracts with the code, and rewriting them (`kyodo contracts
export`): a breaking change is refused unless accepted explicitly."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kyodo_launcher.catalogue import SERVICES, ServiceSpec
from kyodo_launcher.contracts import consumers as consumer_contracts
from kyodo_launcher.contracts.breaking import (
    BreakingChange,
    openapi_breaking_changes,
    schema_breaking_changes,
)
from kyodo_launcher.contracts.documents import GENERATED_KINDS, render
from kyodo_launcher.contracts.recording import ExampleRefused

CONTRACTS = "contracts"


def committed(directory: Path) -> dict[str, str]:
    """The generated kinds of documents as committed: path relative to contracts/ → text."""
    return {path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
            for kind in GENERATED_KINDS if (directory / kind).is_dir()
            for path in sorted((directory / kind).rglob("*")) if path.is_file()}


def _load(path: str, text: str) -> Any:
    return json.loads(text) if path.endswith(".json") else yaml.safe_load(text)


def breaking_changes(before: Mapping[str, str], after: Mapping[str, str]
                     ) -> dict[str, list[BreakingChange]]:
    """Per committed document, what the new version breaks (documents without any omitted)."""
    found: dict[str, list[BreakingChange]] = {}
    for path, old_text in before.items():
        if path not in after:
            what = "event type" if path.startswith("events/") else "document"
            found[path] = [BreakingChange("$", f"{what} removed")]
            continue
        old, new = _load(path, old_text), _load(path, after[path])
        if path.startswith("openapi/"):
            changes = openapi_breaking_changes(old, new)
        elif path.startswith("events/"):
            changes = schema_breaking_changes(old, new, "event")
        else:
            changes = _asyncapi_breaking_changes(old, new)
        if changes:
            found[path] = changes
    return found


def _asyncapi_breaking_changes(old: Mapping[str, Any], new: Mapping[str, Any]
                               ) -> list[BreakingChange]:
    """Topics and messages that went away (the payloads are compared as event schemas)."""
    changes = []
    new_channels = new.get("channels") or {}
    for cid, channel in (old.get("channels") or {}).items():
        if cid not in new_channels:
            changes.append(BreakingChange(f"$.channels.{cid}", "channel removed"))
            continue
        if channel.get("address") != new_channels[cid].get("address"):
            changes.append(BreakingChange(f"$.channels.{cid}.address", "topic renamed"))
        for message in channel.get("messages") or {}:
            if message not in (new_channels[cid].get("messages") or {}):
                changes.append(BreakingChange(f"$.channels.{cid}.messages.{message}",
                                              "message removed"))
    return changes


@dataclass
class Export:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    not_drafted: dict[str, str] = field(default_factory=dict)  # consumer file → why
    breaking: dict[str, list[BreakingChange]] = field(default_factory=dict)


def export(root: Path, *, accept_breaking: bool = False,
           services: Iterable[ServiceSpec] = SERVICES) -> Export:
    """Rewrites contracts/{openapi,events,asyncapi} from the code and drafts the expectations
    of a consumer that has none. With breaking changes and not `accept_breaking`, writes
    nothing and returns them."""
    services = tuple(services)
    directory = root / CONTRACTS
    before = committed(directory)
    after = render(services)
    result = Export(breaking=breaking_changes(before, after))
    if result.breaking and not accept_breaking:
        return result
    for path, text in after.items():
        if before.get(path) != text:
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            result.written.append(path)
    for path in before.keys() - after.keys():
        (directory / path).unlink()
        result.removed.append(path)
    schemas = consumer_contracts.event_schemas_by_type(after)
    consumers_dir = directory / "consumers"
    for consumer in consumer_contracts.consumers(services):
        target = consumers_dir / consumer.file_name
        name = target.relative_to(directory).as_posix()
        if target.exists():
            continue
        try:
            text = consumer_contracts.draft(consumer, schemas).to_yaml()
        except ExampleRefused as exc:
            result.not_drafted[name] = str(exc)
            continue
        consumers_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        result.drafted.append(name)
    return result
