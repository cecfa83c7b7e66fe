"""Normalized, immutable view of one status page at one moment."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Severity(enum.Enum):
    """How bad things are, from best to worst; UNKNOWN means we could not tell.

    UNKNOWN ranks below OPERATIONAL so that `worst()` of a mix keeps the known
    signals: one unreadable component must not hide a real outage elsewhere.
    """

    UNKNOWN = "unknown"
    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    DEGRADED = "degraded"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_RANKS = {sev: rank for rank, sev in enumerate(Severity)}
_LABELS = {
    Severity.UNKNOWN: "Could not check",  # what the user sees: never the bare "Unknown"
    Severity.OPERATIONAL: "Operational",
    Severity.MAINTENANCE: "Maintenance",
    Severity.DEGRADED: "Degraded",
    Severity.PARTIAL_OUTAGE: "Partial outage",
    Severity.MAJOR_OUTAGE: "Major outage",
}


def worst(severities: Iterable[Severity], default: Severity = Severity.OPERATIONAL) -> Severity:
    """The worst known severity; `default` when there is no known signal at all."""
    known = [s for s in severities if s is not Severity.UNKNOWN]
    return max(known) if known else default


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    severity: Severity
    group: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    at: datetime | None
    status: str
    text: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    severity: Severity
    status: str
    started_at: datetime | None = None
    updated_at: datetime | None = None
    url: str | None = None
    components: tuple[str, ...] = ()
    updates: tuple[IncidentUpdate, ...] = ()  # newest first, as pages publish them

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED_STATUSES


RESOLVED_STATUSES = frozenset({"resolved", "postmortem", "completed"})


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: str
    title: str
    status: str  # scheduled, in_progress, verifying, completed
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    url: str | None = None
    components: tuple[str, ...] = ()  # what it touches; none named: the whole page

    @property
    def active(self) -> bool:
        return self.status in ("in_progress", "verifying")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one poll of one service found. A failed poll has severity UNKNOWN and an error."""

    severity: Severity
    summary: str
    fetched_at: datetime
    components: tuple[Component, ...] = ()
    incidents: tuple[Incident, ...] = ()
    maintenances: tuple[Maintenance, ...] = ()
    error: str | None = None
    page_name: str | None = None
    # Raw, human-oriented details that do not fit the scale (e.g. notices).
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def active_incidents(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if not i.resolved)


def same_content(a: Snapshot, b: Snapshot) -> bool:
    """The same page as far as anything shown or decided goes, whenever it was fetched.
    A 304 repeats the last snapshot's parts, so this is mostly identity checks."""
    return a is b or (
        a.severity is b.severity
        and a.error == b.error
        and a.summary == b.summary
        and a.page_name == b.page_name
        and a.components == b.components
        and a.incidents == b.incidents
        and a.maintenances == b.maintenances
        and a.extra == b.extra
    )


def failed_snapshot(error: str, fetched_at: datetime) -> Snapshot:
    return Snapshot(
        severity=Severity.UNKNOWN,
        summary=f"Could not check: {error}",
        fetched_at=fetched_at,
        error=error,
    )
