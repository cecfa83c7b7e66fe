"""The one-line summary shown next to a service, shared by all providers."""

from __future__ import annotations

from collections.abc import Iterable

from traywatch.core.model import Component, Incident, Maintenance, Severity


def describe(
    severity: Severity,
    components: tuple[Component, ...],
    incidents: tuple[Incident, ...],
    maintenances: tuple[Maintenance, ...],
    page_description: str = "",
) -> str:
    """An open incident's own title says most; without one, name the worse of the
    affected components and a running maintenance."""
    active = sorted(
        (i for i in incidents if not i.resolved), key=lambda i: i.severity, reverse=True
    )
    if active:
        more = f" (+{len(active) - 1} more)" if len(active) > 1 else ""
        return f"{active[0].title}{more}"
    candidates: list[tuple[Severity, str]] = []
    affected = sorted(
        (c for c in components if c.severity > Severity.MAINTENANCE),
        key=lambda c: c.severity,
        reverse=True,
    )
    if affected:
        names = ", ".join(c.name for c in affected[:3])
        more = f" and {len(affected) - 3} more" if len(affected) > 3 else ""
        candidates.append((affected[0].severity, f"{affected[0].severity.label}: {names}{more}"))
    running = [m for m in maintenances if m.active]
    if running:
        candidates.append((Severity.MAINTENANCE, f"Maintenance: {running[0].title}"))
    if candidates:
        top = max(sev for sev, _ in candidates)
        return next(text for sev, text in candidates if sev is top)
    if page_description:
        return page_description
    if severity is Severity.OPERATIONAL:
        return "All systems operational"
    return severity.label


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
