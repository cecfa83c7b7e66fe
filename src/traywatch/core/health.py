"""What the user is shown about each service and about all of them: pure functions.

A failed poll does not turn a known state into "unknown" at once: the last good
snapshot stays, marked stale, until several polls in a row failed or it is too
old. Offline is its own state, never "everything is down"."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from traywatch.core.model import Severity, Snapshot
from traywatch.core.runs_on import Answer
from traywatch.core.text import one_line

STALE_AFTER_FAILURES = 3
STALE_AFTER_INTERVALS = 3
TOOLTIP_SERVICES = 6  # lines naming a service; the rest are counted
CHECKING = "Checking…"
COULD_NOT_CHECK = "Could not check"


class TrayState(enum.Enum):
    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    DEGRADED = "degraded"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNKNOWN = "unknown"
    OFFLINE = "offline"

    @classmethod
    def of(cls, severity: Severity) -> TrayState:
        return cls(severity.value)


@dataclass(frozen=True, slots=True)
class ServiceView:
    name: str
    url: str
    severity: Severity  # what to show: the last good severity while it is merely stale
    stale: bool  # showing an older snapshot because the latest polls failed
    summary: str
    error: str | None
    checked_at: datetime | None  # last attempt, good or not
    good_at: datetime | None  # when `severity` was last confirmed
    active_incidents: int
    snoozed: bool = False
    failures: int = 0  # polls in a row that failed
    next_check: datetime | None = None
    # a failing endpoint of the user's: whether the platforms it runs on explain it
    them_or_me: Answer | None = None

    @property
    def label(self) -> str:
        """ "Partial outage"; "Checking…" for a service not checked yet, "Could not check"
        for one that could not be (rather than the bare "Unknown")."""
        if self.severity is Severity.UNKNOWN and self.checked_at is None and not self.error:
            return CHECKING
        if self.severity is Severity.UNKNOWN:
            return COULD_NOT_CHECK
        return self.severity.label

    def explanation(self, now: datetime) -> str:
        """ "Could not check: timed out after 10 s (3 tries, next in 4 min)"."""
        if self.error is None:
            return ""
        tries = f"{self.failures} {'try' if self.failures == 1 else 'tries'}"
        parts = [tries] if self.failures else []
        if self.next_check is not None:
            seconds = max(0, int((self.next_check - now).total_seconds()))
            parts.append(
                f"next in {seconds // 60} min" if seconds >= 60 else f"next in {seconds} s"
            )
        suffix = f" ({', '.join(parts)})" if parts else ""
        shown = " — showing the last good state" if self.stale else ""
        return f"Could not check: {self.error}{suffix}{shown}"


def service_view(
    name: str,
    url: str,
    *,
    latest: Snapshot | None,
    last_good: Snapshot | None,
    failures: int,
    interval: float,
    now: datetime,
    snoozed: bool = False,
) -> ServiceView:
    if latest is None and last_good is None:
        return ServiceView(
            name, url, Severity.UNKNOWN, False, CHECKING, None, None, None, 0, snoozed
        )
    if latest is None and last_good is not None:
        # Remembered from the last run: shown at once, stale until the first poll.
        return ServiceView(
            name,
            url,
            last_good.severity,
            True,
            last_good.summary,
            None,
            last_good.fetched_at,
            last_good.fetched_at,
            len(last_good.active_incidents),
            snoozed,
        )
    if latest is not None and latest.ok:
        return ServiceView(
            name,
            url,
            latest.severity,
            False,
            latest.summary,
            None,
            latest.fetched_at,
            latest.fetched_at,
            len(latest.active_incidents),
            snoozed,
        )
    error = latest.error if latest is not None else None
    checked_at = latest.fetched_at if latest is not None else None
    if last_good is not None:
        too_old = now - last_good.fetched_at > timedelta(seconds=interval * STALE_AFTER_INTERVALS)
        if failures < STALE_AFTER_FAILURES and not too_old:
            return ServiceView(
                name,
                url,
                last_good.severity,
                True,
                last_good.summary,
                error,
                checked_at,
                last_good.fetched_at,
                len(last_good.active_incidents),
                snoozed,
            )
    summary = f"Could not check: {error}" if error else "Could not check"
    return ServiceView(
        name,
        url,
        Severity.UNKNOWN,
        False,
        summary,
        error,
        checked_at,
        last_good.fetched_at if last_good else None,
        0,
        snoozed,
    )


def attention(view: ServiceView) -> int:
    """How much a service needs a look, for every list of them: outages first, then
    "could not check" (unknown is below operational in the severity order, but in a
    list of what to look at it belongs with the trouble), then the rest; a service not
    checked yet sits with the calm ones."""
    if view.severity is Severity.UNKNOWN and not view.stale:
        return 1 if view.label == CHECKING else Severity.MAJOR_OUTAGE.rank * 2 - 1
    return view.severity.rank * 2


def worst_first(views: Iterable[ServiceView]) -> list[ServiceView]:
    """Sorted by `attention`, the watchlist's order among equals."""
    return sorted(views, key=attention, reverse=True)


def aggregate(views: Iterable[ServiceView], *, offline: bool) -> TrayState:
    """One state for the tray icon. Snoozed services leave it. A pause of the
    notifications is drawn over the state, never instead of it."""
    counted = [v for v in views if not v.snoozed]
    if offline:
        return TrayState.OFFLINE
    worst = max((v.severity for v in counted), default=Severity.OPERATIONAL)
    if worst >= Severity.DEGRADED:
        return TrayState.of(worst)
    if any(v.severity is Severity.UNKNOWN for v in counted):
        return TrayState.UNKNOWN
    return TrayState.of(worst)


def has_active_incidents(views: Iterable[ServiceView]) -> bool:
    return any(v.active_incidents and not v.snoozed for v in views)


def tooltip(
    views: list[ServiceView], *, offline: bool, paused_until: datetime | None, now: datetime
) -> str:
    """At most TOOLTIP_SERVICES lines naming services (worst first), then "and N more";
    "All systems operational" only when every service was checked and is."""
    lines: list[str] = []
    checked = [v.checked_at for v in views if v.checked_at is not None]
    when = f"checked {max(checked).astimezone():%H:%M}" if checked else "not checked yet"
    if offline:
        lines.append(f"You are offline · showing what was known, {when}")
    troubled = sorted(
        (v for v in views if v.severity is not Severity.OPERATIONAL and not v.snoozed),
        key=lambda v: v.severity,
        reverse=True,
    )
    for view in troubled[:TOOLTIP_SERVICES]:
        lines.append(_tooltip_line(view))
    if len(troubled) > TOOLTIP_SERVICES:
        lines.append(f"and {len(troubled) - TOOLTIP_SERVICES} more")
    if not troubled and not offline:
        count = len(views)
        noun = "service" if count == 1 else "services"
        lines.append(f"All systems operational · {count} {noun} · {when}")
    elif not offline:
        lines.append(when.capitalize())
    if paused_until is not None and paused_until > now:
        lines.append(f"Notifications paused until {paused_until.astimezone():%H:%M}")
    return "\n".join(lines)


HEADLINE = 64  # characters: a menu's first line, not wider than the menu


def headline(views: list[ServiceView], *, offline: bool) -> str:
    """The verdict on all of them, in plain words, for the top of the tray menu:
    "Trouble at 3 of 10: GitHub, Heroku, Shop API", "Could not check 1 of 10: OpenAI",
    "All 10 services operational". Snoozed services are left out, as from the icon; a
    service that could not be checked is never "operational"."""
    if offline:
        return "You are offline · showing what was last known"
    counted = [v for v in views if not v.snoozed]
    total = len(counted)
    if not total:
        return "Nothing watched" if not views else f"All {len(views)} snoozed"

    def named(what: str, which: list[ServiceView]) -> str:
        names = ", ".join(v.name for v in worst_first(which))
        return one_line(f"{what} {len(which)} of {total}: {names}", HEADLINE)

    trouble = [v for v in counted if v.severity >= Severity.DEGRADED]
    unknown = [v for v in counted if v.label == COULD_NOT_CHECK]
    if trouble:
        return named("Trouble at", trouble)
    if unknown:
        return named("Could not check", unknown)
    maintenance = [v for v in counted if v.severity is Severity.MAINTENANCE]
    if maintenance:
        return named("Maintenance at", maintenance)
    if any(v.label == CHECKING for v in counted):
        return f"Checking {total} {'service' if total == 1 else 'services'}…"
    return f"All {total} {'service' if total == 1 else 'services'} operational"


def _tooltip_line(view: ServiceView) -> str:
    """ "GitHub — Degraded: Actions (incident: Delayed runs)": the state's label once,
    then what the summary says (summaries never repeat the label)."""
    if view.severity is Severity.UNKNOWN:  # "Checking…" or "Could not check: …"
        return f"{view.name} — {one_line(view.summary, 80)}"
    stale = " (stale)" if view.stale else ""
    detail = f": {one_line(view.summary, 80)}" if view.summary else ""
    return f"{view.name} — {view.severity.label}{stale}{detail}"
