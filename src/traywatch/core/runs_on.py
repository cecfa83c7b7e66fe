"""What an endpoint of the user's runs on, and what those platforms say about it.

`depends_on` names watched services, optionally narrowed to a component or group
of theirs: "Heroku" (anything on Heroku's page counts), "Heroku: Apps" (only what
touches Apps, so an incident on Heroku's Dashboard does not explain a failing API)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.model import Component, Incident, Severity, Snapshot

SEPARATOR = ": "


@dataclass(frozen=True, slots=True)
class Dependency:
    platform: str
    component: str | None = None  # a component's or a group's name on the platform's page

    def __str__(self) -> str:
        return f"{self.platform}{SEPARATOR}{self.component}" if self.component else self.platform


def parse_dependency(entry: str, services: Iterable[str] = ()) -> Dependency:
    """ "Heroku: Apps" -> Heroku's component Apps. A service whose own name contains
    ": " is matched whole first."""
    entry = entry.strip()
    known = set(services)
    if entry in known or SEPARATOR not in entry:
        return Dependency(entry)
    platform, _, component = entry.partition(SEPARATOR)
    return Dependency(platform.strip(), component.strip() or None)


@dataclass(frozen=True, slots=True)
class PlatformReport:
    """What a platform's page says now about the part an endpoint runs on."""

    dependency: Dependency
    checked: bool  # False: the page could not be read (or is not watched)
    severity: Severity = Severity.UNKNOWN
    affected: tuple[str, ...] = ()  # its components in trouble, within the dependency
    incident: Incident | None = None  # the worst open incident concerning it

    @property
    def in_trouble(self) -> bool:
        return self.checked and (self.severity >= Severity.DEGRADED or self.incident is not None)

    @property
    def since(self) -> datetime | None:
        return self.incident.started_at if self.incident is not None else None

    @property
    def trouble(self) -> str:
        """ "a major outage", "an incident" (one that does not change the page's state)."""
        if self.severity >= Severity.DEGRADED:
            return f"a {self.severity.label.lower()}"
        return "an incident"

    def describe(self) -> str:
        """ "Heroku reports a major outage affecting Apps (Elevated errors)"."""
        name = self.dependency.platform
        if not self.checked:
            return f"{name} could not be checked"
        if not self.in_trouble:
            part = self.dependency.component
            return (
                f"{name} reports no trouble with {part}" if part else f"{name} reports no trouble"
            )
        said = f"{name} reports {self.trouble}"
        if self.affected:
            more = f" and {len(self.affected) - 3} more" if len(self.affected) > 3 else ""
            said += f" affecting {', '.join(self.affected[:3])}{more}"
        if self.incident is not None:
            said += f" ({self.incident.title})"
        return said


def report(dependency: Dependency, snapshot: Snapshot | None) -> PlatformReport:
    if snapshot is None or not snapshot.ok:
        return PlatformReport(dependency, checked=False)
    components = snapshot.components
    incidents = snapshot.active_incidents
    severity = snapshot.severity
    scoped = _scoped(dependency, snapshot)
    if scoped is not None:  # a component the page does not list (now) leaves the whole page
        components = scoped
        names = {c.name for c in scoped} | {dependency.component}
        incidents = tuple(i for i in incidents if not i.components or set(i.components) & names)
        severity = max(
            [Severity.OPERATIONAL, *(c.severity for c in scoped), *(i.severity for i in incidents)]
        )
    affected = tuple(c.name for c in components if c.severity >= Severity.DEGRADED)
    incident = max(incidents, key=lambda i: i.severity, default=None)
    return PlatformReport(dependency, True, severity, affected, incident)


def _scoped(dependency: Dependency, snapshot: Snapshot) -> tuple[Component, ...] | None:
    if dependency.component is None:
        return None
    wanted = dependency.component.casefold()
    scoped = tuple(
        c
        for c in snapshot.components
        if c.name.casefold() == wanted or (c.group or "").casefold() == wanted
    )
    return scoped or None


class Verdict(enum.Enum):
    THEM = "them"  # a platform it runs on reports trouble concerning it
    NOT_REPORTED = "not_reported"  # the platforms report nothing (yet)
    UNCHECKED = "unchecked"  # the platforms could not be checked
    OFFLINE = "offline"  # this machine is offline
    YOUR_NETWORK = "your_network"  # endpoints on unrelated platforms fail together
    NOTHING_TO_SAY = "nothing_to_say"  # not failing, or runs on nothing watched


@dataclass(frozen=True, slots=True)
class Answer:
    verdict: Verdict
    text: str
    reports: tuple[PlatformReport, ...] = ()

    @property
    def troubled(self) -> tuple[PlatformReport, ...]:
        return tuple(r for r in self.reports if r.in_trouble)

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "text": self.text,
            "platforms": [
                {
                    "runs_on": str(r.dependency),
                    "checked": r.checked,
                    "severity": r.severity.value,
                    "in_trouble": r.in_trouble,
                    "incident": r.incident.title if r.incident else None,
                }
                for r in self.reports
            ],
        }
