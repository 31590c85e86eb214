"""The services the launcher runs, their ports, databases, workers and topics."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    port_offset: int
    has_worker: bool

    @property
    def database(self) -> str:
        return f"kyodo_{self.name}"

    @property
    def owner_role(self) -> str:
        """Owns the database, its public schema and every object in it; runs the migrations.
        Not a superuser and without BYPASSRLS, so FORCE ROW LEVEL SECURITY binds it too."""
        return f"{self.database}_owner"

    @property
    def app_role(self) -> str:
        return f"{self.database}_app"

    @property
    def relay_role(self) -> str:
        return f"{self.database}_relay"

    @property
    def roles(self) -> tuple[str, str, str]:
        """Owner, app and relay: each logs in with its own password."""
        return (self.owner_role, self.app_role, self.relay_role)

    def topics(self) -> dict[str, int]:
        topics: dict[str, int] = importlib.import_module(f"{self.package}_events").TOPICS
        return topics


SERVICES = (
    ServiceSpec("identity", "kyodo_identity", 1, has_worker=True),
    ServiceSpec("residents", "kyodo_residents", 2, has_worker=True),
    ServiceSpec("certificates", "kyodo_certificates", 3, has_worker=True),
    ServiceSpec("tax", "kyodo_tax", 4, has_worker=True),
    ServiceSpec("disaster", "kyodo_disaster", 5, has_worker=True),
    ServiceSpec("automation", "kyodo_automation", 6, has_worker=True),
    ServiceSpec("webhooks", "kyodo_webhooks", 7, has_worker=True),
)

DEAD_LETTER_PARTITIONS = 1


@dataclass(frozen=True)
class AppSpec:
    """A web app for people (no database, no topics): a client of the gateway like any other."""

    name: str
    package: str
    port_offset: int


# Port offsets: the gateway is the base port, the services 1-7, the apps after them (below
# platform.METRICS_OFFSET = 10, where the metrics ports start).
APPS = (
    AppSpec("counter", "kyodo_counter", 9),
)



def all_roles() -> list[str]:
    return [role for spec in SERVICES for role in spec.roles]


def all_topics() -> dict[str, int]:
    from kyodo_common.events.inbox import DEAD_LETTER_SUFFIX

    topics: dict[str, int] = {}
    for spec in SERVICES:
        for topic, partitions in spec.topics().items():
            topics[topic] = partitions
            topics[topic + DEAD_LETTER_SUFFIX] = DEAD_LETTER_PARTITIONS
    return topics


def consumer_groups() -> dict[str, list[str]]:
    """Each worker's consumer group and the topics it reads (imports every worker: seconds)."""
    groups: dict[str, list[str]] = {}
    for spec in SERVICES:
        if not spec.has_worker:
            continue
        worker = importlib.import_module(f"{spec.package}.worker")
        subscriptions = getattr(worker, "SUBSCRIPTIONS", ())
        if subscriptions:
            groups[worker.CONSUMER] = sorted({s.event.topic for s in subscriptions})
    return groups
