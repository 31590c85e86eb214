"""Automation's commands: start a run, save a scenario's version, decide a queued item.

Each is frozen, built by a route, and run by one handler (service_layer.handlers) through
kyodo_common's write pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from kyodo_automation.domain.scenario import Scenario
from kyodo_common.write_pipeline import Command


@dataclass(frozen=True)
class StartRun(Command):
    """A run of a scenario's version, by hand (manual) or by a file (file)."""

    name: str
    version: Any  # the scenario version's row
    scenario: Scenario
    inputs: dict[str, Any]
    trigger: str
    started_by: str


@dataclass(frozen=True)
class SaveScenarioVersion(Command):
    """A new version of a scenario from its YAML, checked and within its account's scopes."""

    name: str
    scenario: Scenario  # checked by service_layer.scenarios.parse_for_save
    source: str
    created_by: str


@dataclass(frozen=True)
class DecideItem(Command):
    """A person's decision on an item of 人の判断待ち; an approval resumes (or ends) its run."""

    item_id: UUID
    decision: str
    note: str | None
    by: str
    may_approve: bool
