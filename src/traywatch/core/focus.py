"""A snapshot narrowed to the components a user watches (e.g. only Heroku's Apps and Data)."""

from __future__ import annotations

from dataclasses import replace

from traywatch.core.model import Severity, Snapshot, worst


def narrow(snapshot: Snapshot, watched: tuple[str, ...]) -> Snapshot:
    """Only the watched components (by name or group) and the incidents that touch them
    (or that name no component at all: better one notification too many than a missed
    outage) count; the page's overall indicator, which speaks for everything, does not."""
    if not watched or not snapshot.ok:
        return snapshot
    from traywatch.providers.summary import describe

    wanted = {name.casefold() for name in watched}
    components = tuple(
        c
        for c in snapshot.components
        if c.name.casefold() in wanted or (c.group or "").casefold() in wanted
    )
    names = {c.name for c in components}
    incidents = tuple(
        i for i in snapshot.incidents if not i.components or set(i.components) & names
    )
    signals = [c.severity for c in components]
    signals += [i.severity for i in incidents if not i.resolved]
    if any(m.active for m in snapshot.maintenances):
        signals.append(Severity.MAINTENANCE)
    severity = worst(signals, default=Severity.OPERATIONAL)
    return replace(
        snapshot,
        severity=severity,
        summary=describe(severity, components, incidents, snapshot.maintenances),
        components=components,
        incidents=incidents,
    )
