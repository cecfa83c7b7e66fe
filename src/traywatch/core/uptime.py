"""How a service spent a period, from its recorded severity changes and the time
traywatch was observing it: the uptime bar's segments and the share of the observed time
in each state ("99.2 % operational in the 3 h observed"). Time nobody observed (the app
was not running, the machine slept) is its own kind of segment and counts for nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from traywatch.core.model import Severity

Span = tuple[datetime, datetime]
# Observed for at least this share of the period: said as "over 7 days".
WHOLE_PERIOD = 0.99


@dataclass(frozen=True, slots=True)
class Segment:
    start: datetime
    end: datetime
    severity: Severity  # UNKNOWN: could not be checked (or nothing recorded yet)
    observed: bool = True  # False: traywatch was not observing then

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def segments(
    changes: Sequence[tuple[datetime, Severity]],
    start: datetime,
    end: datetime,
    observed: Sequence[Span] | None = None,
) -> list[Segment]:
    """The period [start, end) cut where the severity changed and where observing began
    or ended. `changes` are (when, new severity) in time order; before the first,
    nothing is known. `observed`: the stretches traywatch was observing (None: all of it)."""
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
    parts = [s for s in out if s.end > s.start]
    return parts if observed is None else _cut_unobserved(parts, observed, start, end)


def _cut_unobserved(
    parts: list[Segment], observed: Sequence[Span], start: datetime, end: datetime
) -> list[Segment]:
    spans = sorted((max(a, start), min(b, end)) for a, b in observed if b > start and a < end)
    out: list[Segment] = []

    def add(segment: Segment) -> None:
        if segment.end <= segment.start:
            return
        last = out[-1] if out else None
        if last is not None and not last.observed and not segment.observed:
            out[-1] = Segment(last.start, segment.end, Severity.UNKNOWN, observed=False)
        else:
            out.append(segment)

    for part in parts:
        cursor = part.start
        for first, last in spans:
            if last <= cursor or first >= part.end:
                continue
            add(Segment(cursor, max(cursor, first), Severity.UNKNOWN, observed=False))
            cursor = max(cursor, first)
            stop = min(last, part.end)
            add(Segment(cursor, stop, part.severity))
            cursor = stop
        add(Segment(cursor, part.end, Severity.UNKNOWN, observed=False))
    return out


def observed_time(parts: Sequence[Segment]) -> timedelta:
    return sum((s.duration for s in parts if s.observed), timedelta())


def shares(parts: Sequence[Segment]) -> dict[Severity, float]:
    """Fraction of the time in each severity (of the observed time anything was known)."""
    known = [s for s in parts if s.observed and s.severity is not Severity.UNKNOWN]
    total = sum((s.duration for s in known), timedelta())
    if not total:
        return {}
    result: dict[Severity, float] = {}
    for part in known:
        result[part.severity] = result.get(part.severity, 0.0) + part.duration / total
    return result


def describe_share(parts: Sequence[Segment], label: str) -> str:
    """ "99.3 % operational over 7 days", or "99.2 % operational in the 3 h observed"
    when traywatch observed less of the period (maintenance counts as operational)."""
    fractions = shares(parts)
    if not fractions:
        return f"Nothing recorded over {label}"
    up = fractions.get(Severity.OPERATIONAL, 0.0) + fractions.get(Severity.MAINTENANCE, 0.0)
    period = sum((s.duration for s in parts), timedelta())
    observed = observed_time(parts)
    if not period or observed / period >= WHOLE_PERIOD:
        return f"{up * 100:.1f} % operational over {label}"
    return f"{up * 100:.1f} % operational in the {duration_text(observed)} observed"


def duration_text(span: timedelta) -> str:
    """ "3 h", "2 d 4 h", "12 min", "40 s": short, for people."""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"
