"""How a service spent a period, from its recorded severity changes: the timeline
bar's segments and the share of time in each state ("99.3 % operational")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from traywatch.core.model import Severity


@dataclass(frozen=True, slots=True)
class Segment:
    start: datetime
    end: datetime
    severity: Severity  # UNKNOWN also where nothing was recorded


def segments(
    changes: Sequence[tuple[datetime, Severity]], start: datetime, end: datetime
) -> list[Segment]:
    """The period [start, end) cut where the severity changed. `changes` are
    (when, new severity) in time order; before the first, nothing is known."""
    out: list[Segment] = []
    current = Severity.UNKNOWN
    cursor = start
    for when, severity in changes:
        if when <= start:
            current = severity
            continue
        if when >= end:
            break
        if severity is current:
            continue
        out.append(Segment(cursor, when, current))
        cursor, current = when, severity
    out.append(Segment(cursor, end, current))
    return [s for s in out if s.end > s.start]


def shares(parts: Sequence[Segment]) -> dict[Severity, float]:
    """Fraction of the time in each severity (of the time anything was known)."""
    known = [s for s in parts if s.severity is not Severity.UNKNOWN]
    total = sum(((s.end - s.start) for s in known), timedelta())
    if not total:
        return {}
    result: dict[Severity, float] = {}
    for part in known:
        result[part.severity] = result.get(part.severity, 0.0) + (part.end - part.start) / total
    return result


def describe_share(parts: Sequence[Segment], label: str) -> str:
    """'99.3 % operational over 7 days' (maintenance counts as operational)."""
    fractions = shares(parts)
    if not fractions:
        return f"Nothing recorded over {label}"
    up = fractions.get(Severity.OPERATIONAL, 0.0) + fractions.get(Severity.MAINTENANCE, 0.0)
    return f"{up * 100:.1f} % operational over {label}"
