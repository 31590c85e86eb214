"""The tax office's commands: what a tax officer (or a partner system) asks for.

Each is frozen, built by a route, and run by one handler (service_layer.handlers) through
kyodo_common's write pipeline. ``actor`` is who asks, as the records name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kyodo_common.write_pipeline import Command
from kyodo_tax.domain.inputs import Declaration
from kyodo_tax.domain.instalments import SwitchReason


@dataclass(frozen=True)
class Assess(Command):
    """The first assessment of the year, or a correction when its inputs changed."""

    fiscal_year: int
    platform_person_id: UUID


@dataclass(frozen=True)
class SwitchCollection(Command):
    """退職 or 死亡: the 特別徴収 instalments after that month are billed (普通徴収)."""

    assessment_id: UUID
    reason: SwitchReason
    on: date


@dataclass(frozen=True)
class FileDeclaration(Command):
    """住民税申告: a new version of the person's declaration."""

    fiscal_year: int
    platform_person_id: UUID
    declaration: Declaration
    actor: str


@dataclass(frozen=True)
class StartBulkAssessment(Command):
    """Queue the assessment of the whole municipality for a fiscal year."""

    fiscal_year: int
    actor: str


@dataclass(frozen=True)
class ImportSalaryReports(Command):
    """給与支払報告書: a file's rows, imported now or queued when large."""

    fiscal_year: int
    content: bytes
    file_format: str
    actor: str
