"""Is it them or me? When an endpoint of the user's fails, say whether a platform
it runs on reports trouble right now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from traywatch.core.model import Severity, Snapshot


def explain(depends_on: Sequence[str], snapshots: Mapping[str, Snapshot | None]) -> str:
    """ "Heroku reports a major outage affecting Apps", or "no incident reported by
    Heroku yet"; platforms that could not be checked are said to be unknown."""
    troubled: list[str] = []
    unknown: list[str] = []
    for name in depends_on:
        snapshot = snapshots.get(name)
        if snapshot is None or not snapshot.ok:
            unknown.append(name)
            continue
        incidents = snapshot.active_incidents
        if snapshot.severity < Severity.DEGRADED and not incidents:
            continue
        affected = [c.name for c in snapshot.components if c.severity >= Severity.DEGRADED]
        said = f"{name} reports a {snapshot.severity.label.lower()}"
        if snapshot.severity < Severity.DEGRADED:
            said = f"{name} reports an incident"
        if affected:
            more = f" and {len(affected) - 3} more" if len(affected) > 3 else ""
            said += f" affecting {', '.join(affected[:3])}{more}"
        if incidents:
            said += f" ({incidents[0].title})"
        troubled.append(said)
    if troubled:
        return "; ".join(troubled)
    fine = [n for n in depends_on if n not in unknown]
    parts = []
    if fine:
        parts.append(f"no incident reported by {' or '.join(fine)} yet")
    if unknown:
        parts.append(f"{' and '.join(unknown)} could not be checked")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
