"""The one-line summary shown next to a service: written by every provider from what
its page says, and again by core.focus when only some components are watched."""

from __future__ import annotations

from collections.abc import Iterable

from traywatch.core.locations import short_name
from traywatch.core.model import Component, Incident, Maintenance, Severity


def describe(
    severity: Severity,
    components: tuple[Component, ...],
    incidents: tuple[Incident, ...],
    maintenances: tuple[Maintenance, ...],
    page_description: str = "",
    *,
    note: str = "",
) -> str:
    """What is wrong, after the state's own label (which is shown next to it, so it
    is never repeated here): the worst open incident with what it affects, else the
    worse of the affected components and a running maintenance. When nothing is,
    "All systems operational", with `note` saying what was judged too small to count."""
    active = sorted(
        (i for i in incidents if not i.resolved), key=lambda i: i.severity, reverse=True
    )
    if active:
        top = active[0]
        listed = {c.name for c in components}
        affected = [name for name in top.components if name in listed]
        text = f"{_names(affected)} (incident: {top.title})" if affected else top.title
        more = f" (+{len(active) - 1} more)" if len(active) > 1 else ""
        return f"{text}{more}"
    candidates: list[tuple[Severity, str]] = []
    troubled = sorted(
        (c for c in components if c.severity > Severity.MAINTENANCE),
        key=lambda c: c.severity,
        reverse=True,
    )
    if troubled:
        candidates.append((troubled[0].severity, _names([c.name for c in troubled])))
    running = [m for m in maintenances if m.active]
    if running:
        candidates.append((Severity.MAINTENANCE, running[0].title))
    if severity is Severity.OPERATIONAL:
        return f"Operational ({note})" if note else "All systems operational"
    if candidates:
        top_severity = max(sev for sev, _ in candidates)
        text = next(text for sev, text in candidates if sev is top_severity)
    elif severity is Severity.UNKNOWN:
        text = page_description or severity.label
    else:
        text = page_description or "no details given"
    return f"{text} ({note})" if note and severity is Severity.MAINTENANCE else text


def _names(names: list[str], shown: int = 3) -> str:
    """ "AMS, FRA, LHR and 9 more" (places by their short names)."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(short_name(name) for name in names[:shown]) + more


def components_from_incidents(incidents: Iterable[Incident]) -> tuple[Component, ...]:
    """For pages without a component list: each affected component at the worst
    severity of the open incidents that name it."""
    affected: dict[str, Severity] = {}
    for incident in incidents:
        if incident.resolved:
            continue
        for name in incident.components:
            affected[name] = max(affected.get(name, Severity.OPERATIONAL), incident.severity)
    return tuple(Component(name=n, severity=s) for n, s in sorted(affected.items()))
