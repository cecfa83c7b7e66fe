"""The notification policy: what deserves to interrupt the user, and when.

Pure: snapshots and the current time go in, notifications come out; no I/O, no
clock of its own, no Qt. What was already said lives in a PolicyMemory, so the
same thing is never said twice, also across restarts.

What is announced:
- a new incident, at once; an incident's impact getting worse;
- an incident resolved (also one that disappears from the page's list of open
  incidents for `flap_polls` polls in a row: summaries list only open ones);
- a change of the service's own severity that holds for `flap_polls` polls:
  worse (at least degraded) or back to operational; a reversal cancels it;
- a maintenance starting; every incident update only where asked for.
The first poll of a service with nothing remembered is a baseline: the current
state of all such services is announced once, as one summary.

Then, in this order: mute and snooze drop; the minimum severity drops; quiet
hours and "pause" hold (summarised when they end; major outages may pass);
beyond `storm_limit` a minute the rest are coalesced into one summary.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from traywatch.config.schema import NotificationSettings, parse_quiet_hours
from traywatch.core.focus import noteworthy
from traywatch.core.locations import find_places, short_name
from traywatch.core.model import Component, Incident, Maintenance, Severity, Snapshot
from traywatch.core.text import one_line
from traywatch.notify.memory import PolicyMemory
from traywatch.store.history import update_key

STORM_WINDOW = timedelta(minutes=1)
SUMMARY_LINES = 8  # services named in one summary
# The first-start summary fits a notification bubble: this many lines of this many characters.
BUBBLE_LINES = 3
BUBBLE_LINE = 56
WHERE_NAMES = 3  # places named in a maintenance notification
# A recovery this soon after its incident was announced resolved adds nothing.
RECOVERY_AFTER_RESOLUTION = timedelta(hours=1)

NEW_INCIDENT = "new_incident"
ESCALATION = "escalation"
INCIDENT_UPDATE = "incident_update"
INCIDENT_RESOLVED = "incident_resolved"
RECOVERY = "recovery"
MAINTENANCE_STARTED = "maintenance_started"
CURRENT_STATE = "current_state"
SUMMARY = "summary"


@dataclass(frozen=True, slots=True)
class Notification:
    at: datetime
    service: str
    event: str
    severity: Severity
    title: str
    body: str
    incident_id: str | None = None
    url: str | None = None
    # Notifications of one thread (one endpoint's failure and what explains it) replace
    # each other on screen where the notification server can.
    thread: str | None = None
    # What a summary says about it: "incident resolved — Delayed Actions runs".
    phrase: str = field(default="", compare=False)
    # What it tells of, as (event, incident or maintenance id); a summary: all of its
    # items'. Lets a replay check that every incident was told, and told once.
    tells: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def urgency(self) -> str:
        """freedesktop urgency: critical for a major outage starting, low for good news."""
        if self.severity is Severity.MAJOR_OUTAGE and self.event in (NEW_INCIDENT, ESCALATION):
            return "critical"
        if self.event in (RECOVERY, INCIDENT_RESOLVED):
            return "low"
        return "normal"

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "service": self.service,
            "event": self.event,
            "severity": self.severity.value,
            "title": self.title,
            "body": self.body,
            "incident_id": self.incident_id,
        }


@dataclass(slots=True)
class _Candidate:
    notification: Notification
    weight: Severity  # how bad the news is, for the minimum severity and quiet hours


# What the policy decides on, of one page: its severity, components, incidents and
# maintenances. Each poll parses a new Snapshot, so an unchanged page is told by this,
# never by identity; the summary, fetch time and extras change every poll without
# anything to decide (an endpoint's summary carries its latency).
_Page = tuple[Severity, tuple[Component, ...], tuple[Incident, ...], tuple[Maintenance, ...]]


def _page(snapshot: Snapshot) -> _Page:
    return (snapshot.severity, snapshot.components, snapshot.incidents, snapshot.maintenances)


@dataclass(slots=True)
class _ServiceState:
    announced: Severity | None = None
    candidate: Severity | None = None
    candidate_polls: int = 0
    # open incidents: id -> {"severity", "title", "url", "missing"}
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolved_at: datetime | None = None
    last_page: _Page | None = None  # not persisted: only for the unchanged fast path

    def to_dict(self) -> dict[str, Any]:
        return {
            "announced": self.announced.value if self.announced else None,
            "candidate": self.candidate.value if self.candidate else None,
            "candidate_polls": self.candidate_polls,
            "incidents": self.incidents,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _ServiceState:
        try:
            return cls(
                announced=Severity(data["announced"]) if data.get("announced") else None,
                candidate=Severity(data["candidate"]) if data.get("candidate") else None,
                candidate_polls=int(data.get("candidate_polls", 0)),
                incidents=dict(data.get("incidents", {})),
                resolved_at=(
                    datetime.fromisoformat(data["resolved_at"]) if data.get("resolved_at") else None
                ),
            )
        except (ValueError, KeyError, TypeError):
            return cls()  # unreadable: start with a fresh baseline rather than crash


class NotificationPolicy:
    def __init__(
        self,
        settings: NotificationSettings,
        memory: PolicyMemory,
        *,
        services: Iterable[str] = (),
        muted: Iterable[str] = (),
        every_update: Iterable[str] = (),
        local_tz: tzinfo | None = None,
    ) -> None:
        self.settings = settings
        self.memory = memory
        self._local_tz = local_tz
        self._min_severity = Severity(settings.min_severity)
        self._quiet_hours = parse_quiet_hours(settings.quiet_hours)
        self._muted = set(muted)
        self._every_update = set(every_update)
        self._states: dict[str, _ServiceState] = {}
        self._awaiting_baseline = set(services)
        self._baseline: list[tuple[str, Snapshot]] = []
        self._failed_first: set[str] = set()  # awaiting a baseline, and their polls failed
        self._first_baseline_sent = False
        self._snoozed_until: dict[str, datetime] = {}
        self._paused_until: datetime | None = None
        self._when_resolved: set[str] = set()
        self._held: list[Notification] = []
        self._sent_times: deque[datetime] = deque()
        self._storm: list[Notification] = []
        self._storm_flush_at: datetime | None = None
        self._load_controls()

    def update(
        self,
        settings: NotificationSettings,
        *,
        muted: Iterable[str],
        every_update: Iterable[str],
    ) -> None:
        """New settings from an edited config; what was said, snoozes and pauses stay."""
        self.settings = settings
        self._min_severity = Severity(settings.min_severity)
        self._quiet_hours = parse_quiet_hours(settings.quiet_hours)
        self._muted = set(muted)
        self._every_update = set(every_update)

    # -- user controls -----------------------------------------------------------------

    def set_muted(self, service: str, muted: bool) -> None:
        (self._muted.add if muted else self._muted.discard)(service)

    def snooze(self, service: str, until: datetime | None) -> None:
        """Silence one service until a time; None ends the snooze."""
        if until is None:
            self._snoozed_until.pop(service, None)
        else:
            self._snoozed_until[service] = until
        self._save_controls()

    def is_snoozed(self, service: str, now: datetime) -> bool:
        until = self._snoozed_until.get(service)
        return until is not None and now < until

    def pause(self, until: datetime | None) -> None:
        """Hold every notification until a time (summarised then); None resumes now."""
        self._paused_until = until
        self._save_controls()

    @property
    def paused_until(self) -> datetime | None:
        return self._paused_until

    def is_paused(self, now: datetime) -> bool:
        return self._paused_until is not None and now < self._paused_until

    def notify_when_resolved(self, service: str, wanted: bool = True) -> None:
        (self._when_resolved.add if wanted else self._when_resolved.discard)(service)
        self._save_controls()

    def _save_controls(self) -> None:
        self.memory.save_controls(
            {
                "snoozed_until": {s: t.isoformat() for s, t in self._snoozed_until.items()},
                "paused_until": self._paused_until.isoformat() if self._paused_until else None,
                "when_resolved": sorted(self._when_resolved),
                "held": [n.as_dict() | {"url": n.url} for n in self._held],
            }
        )

    def _load_controls(self) -> None:
        saved = self.memory.load_controls()
        if not saved:
            return
        try:
            self._snoozed_until = {
                service: datetime.fromisoformat(until)
                for service, until in dict(saved.get("snoozed_until") or {}).items()
            }
            paused = saved.get("paused_until")
            self._paused_until = datetime.fromisoformat(paused) if paused else None
            self._when_resolved = {str(s) for s in saved.get("when_resolved") or ()}
            self._held = [_notification_from_dict(n) for n in saved.get("held") or ()]
        except (ValueError, KeyError, TypeError, AttributeError):
            # unreadable (another build's shape): losing the controls beats not starting
            self._snoozed_until, self._paused_until = {}, None
            self._when_resolved, self._held = set(), []

    def wants_resolution(self, service: str) -> bool:
        return service in self._when_resolved

    # -- observing ---------------------------------------------------------------------

    def observe(self, service: str, snapshot: Snapshot, now: datetime) -> list[Notification]:
        """One poll's snapshot of one service; returns what to show now."""
        if not snapshot.ok:
            if service in self._awaiting_baseline:
                self._failed_first.add(service)  # said as such if the summary must go
            return self.tick(now)  # a failed poll changes nothing we know
        state = self._state(service)
        page = _page(snapshot)
        if (
            page == state.last_page
            and state.candidate is None
            and not any(i["missing"] for i in state.incidents.values())
        ):
            return self.tick(now)  # unchanged page, nothing pending: nothing to decide
        state.last_page = page

        if state.announced is None:
            self._take_baseline(service, state, snapshot, now)
            out = []
        else:
            # Remembered from an earlier run: its state was told then; a service new to
            # the watchlist is announced on its own.
            self._awaiting_baseline.discard(service)
            self._first_baseline_sent = True
            out = self._decide(self._changes(service, state, snapshot, now), now)
        self.memory.save_state(service, state.to_dict())
        return self._baseline_summary(now) + out + self.tick(now)

    def tick(self, now: datetime) -> list[Notification]:
        """Release what was held once quiet hours, a pause or a storm window end."""
        out: list[Notification] = []
        if self._held and not self._holding(now):
            held, self._held = self._held, []
            self._save_controls()
            out.append(self._summary(held, now, "While notifications were held"))
        if self._storm and self._storm_flush_at is not None and now >= self._storm_flush_at:
            storm, self._storm = self._storm, []
            self._storm_flush_at = None
            out.append(self._summary(storm, now, None))
        self._sent_times.extend(now for _ in out)
        return out

    def admit(self, notifications: list[Notification], now: datetime) -> list[Notification]:
        """Notifications decided elsewhere — what explains a failing endpoint — go through
        the same mute, snooze, minimum severity, quiet hours and pause rules. Not through
        the storm limit: they come once per change of an answer, and most arrive with the
        very platform notification that would make them the storm's fourth."""
        return self._decide([_Candidate(n, n.severity) for n in notifications], now, storm=False)

    def baseline_overdue(self, now: datetime) -> list[Notification]:
        """Announce the current state even if some services never answered."""
        failed = len(self._awaiting_baseline & self._failed_first)
        unanswered = len(self._awaiting_baseline) - failed
        self._awaiting_baseline.clear()
        return self._baseline_summary(now, unanswered, failed)

    # -- what changed ------------------------------------------------------------------

    def _state(self, service: str) -> _ServiceState:
        state = self._states.get(service)
        if state is None:
            saved = self.memory.load_state(service)
            state = _ServiceState.from_dict(saved) if saved else _ServiceState()
            self._states[service] = state
        return state

    def _take_baseline(
        self, service: str, state: _ServiceState, snapshot: Snapshot, now: datetime
    ) -> None:
        state.announced = snapshot.severity
        for incident in snapshot.active_incidents:
            state.incidents[incident.id] = _known(incident)
            self._mark(service, incident, now)
        for maintenance in snapshot.maintenances:
            if maintenance.active:
                self.memory.mark_sent(_maintenance_key(service, maintenance), now)
        self._awaiting_baseline.discard(service)
        self._baseline.append((service, snapshot))

    def _mark(self, service: str, incident: Incident, now: datetime) -> None:
        self.memory.mark_sent(_incident_key(service, incident.id, "new"), now)
        self.memory.mark_sent(
            _incident_key(service, incident.id, f"severity:{incident.severity.value}"), now
        )
        for update in incident.updates:
            self.memory.mark_sent(_update_key(service, incident.id, update_key(update)), now)

    def _changes(
        self, service: str, state: _ServiceState, snapshot: Snapshot, now: datetime
    ) -> list[_Candidate]:
        out: list[_Candidate] = []
        sent = self.memory
        flap = self.settings.flap_polls
        listed = {i.id: i for i in snapshot.incidents}

        for incident in snapshot.active_incidents:
            known = state.incidents.get(incident.id)
            new_key = _incident_key(service, incident.id, "new")
            if known is None:
                state.incidents[incident.id] = _known(incident)
                if not sent.was_sent(new_key):
                    out.append(self._new_incident(service, incident, snapshot, now))
                self._mark(service, incident, now)
                continue
            known["missing"] = 0
            known["title"] = incident.title
            if incident.severity > Severity(known["severity"]):
                key = _incident_key(service, incident.id, f"severity:{incident.severity.value}")
                if not sent.was_sent(key):
                    out.append(self._incident_escalated(service, incident, now))
                sent.mark_sent(key, now)
            known["severity"] = incident.severity.value
            for update in incident.updates:
                key = _update_key(service, incident.id, update_key(update))
                if sent.was_sent(key):
                    continue
                sent.mark_sent(key, now)
                if service in self._every_update and update.text:
                    out.append(
                        _Candidate(
                            Notification(
                                now,
                                service,
                                INCIDENT_UPDATE,
                                incident.severity,
                                f"{service}: {incident.title}",
                                f"{update.status.capitalize()}: {one_line(update.text, 300)}",
                                incident.id,
                                incident.url,
                                phrase=f"update — {incident.title}",
                                tells=((INCIDENT_UPDATE, incident.id),),
                            ),
                            incident.severity,
                        )
                    )

        for incident_id, known in list(state.incidents.items()):
            listed_incident = listed.get(incident_id)
            if listed_incident is not None and not listed_incident.resolved:
                continue
            if listed_incident is None:
                known["missing"] = known.get("missing", 0) + 1
                if known["missing"] < flap:
                    continue  # may be a glitch of the page: wait for it to hold
            del state.incidents[incident_id]
            key = _incident_key(service, incident_id, "resolved")
            if not sent.was_sent(key):
                sent.mark_sent(key, now)
                out.append(self._incident_resolved(service, known, incident_id, snapshot, now))
                state.resolved_at = now

        started = []
        for maintenance in snapshot.maintenances:
            key = _maintenance_key(service, maintenance)
            # One data centre of hundreds is not worth a word (it is not worth the
            # icon either); it is told once enough of its region is in maintenance.
            if (
                maintenance.active
                and not sent.was_sent(key)
                and noteworthy(maintenance, snapshot.components)
            ):
                sent.mark_sent(key, now)
                started.append(maintenance)
        if started:  # one notification for all that started since the last poll
            out.append(self._maintenance_started(service, started, snapshot, now))

        severity = snapshot.severity
        if any(c.notification.incident_id for c in out):
            # The incident's own notification already tells of the new state.
            state.announced, state.candidate, state.candidate_polls = severity, None, 0
        elif severity is state.announced:
            state.candidate, state.candidate_polls = None, 0
        else:
            if state.candidate is severity:
                state.candidate_polls += 1
            else:
                state.candidate, state.candidate_polls = severity, 1
            if state.candidate_polls >= flap:
                previous = state.announced
                assert previous is not None
                state.announced, state.candidate, state.candidate_polls = severity, None, 0
                change = self._severity_changed(service, previous, snapshot, state, now)
                if change is not None:
                    out.append(change)
        return out

    # -- the notifications themselves -----------------------------------------------------

    def _new_incident(
        self, service: str, incident: Incident, snapshot: Snapshot, now: datetime
    ) -> _Candidate:
        latest = incident.updates[0].text if incident.updates else ""
        severity = max(incident.severity, snapshot.severity)
        body = f"{severity.label} · {incident.status.replace('_', ' ')}"
        if latest:
            body += f"\n{one_line(latest, 300)}"
        return _Candidate(
            Notification(
                now,
                service,
                NEW_INCIDENT,
                severity,
                f"{service}: {incident.title}",
                body,
                incident.id,
                incident.url,
                phrase=f"new incident — {incident.title}",
                tells=((NEW_INCIDENT, incident.id),),
            ),
            severity,
        )

    def _incident_escalated(self, service: str, incident: Incident, now: datetime) -> _Candidate:
        latest = incident.updates[0].text if incident.updates else ""
        body = incident.title + (f"\n{one_line(latest, 300)}" if latest else "")
        return _Candidate(
            Notification(
                now,
                service,
                ESCALATION,
                incident.severity,
                f"{service}: now {incident.severity.label.lower()}",
                body,
                incident.id,
                incident.url,
                phrase=f"now {incident.severity.label.lower()} — {incident.title}",
                tells=((ESCALATION, incident.id),),
            ),
            incident.severity,
        )

    def _incident_resolved(
        self,
        service: str,
        known: dict[str, Any],
        incident_id: str,
        snapshot: Snapshot,
        now: datetime,
    ) -> _Candidate:
        if snapshot.severity <= Severity.MAINTENANCE:
            after = "All systems operational again"
        else:
            after = f"Still {snapshot.severity.label.lower()}: {snapshot.summary}"
        title = known["title"]
        return _Candidate(
            Notification(
                now,
                service,
                INCIDENT_RESOLVED,
                snapshot.severity,
                f"{service}: resolved — {title}",
                after,
                incident_id,
                known.get("url"),
                phrase=f"incident resolved — {title}",
                tells=((INCIDENT_RESOLVED, incident_id),),
            ),
            Severity(known["severity"]),
        )

    def _maintenance_started(
        self, service: str, started: list[Maintenance], snapshot: Snapshot, now: datetime
    ) -> _Candidate:
        """What, where and until when: "Cloudflare: maintenance started in 12 data
        centres" — "AMS, FRA, LHR and 9 more · until 18:00"."""
        where = _where(started, snapshot)
        ends = [m.ends_at for m in started if m.ends_at is not None]
        until = f"until {_when(max(ends), now, self._local_tz)}" if ends else ""
        what = started[0].title
        if len(started) > 1:
            what += f" and {len(started) - 1} more"
        lines = [what, where.listed] if where.listed else [what]
        if until:
            lines[-1] += f" · {until}"
        headline = f"maintenance started in {where.short}" if where.short else "maintenance started"
        return _Candidate(
            Notification(
                now,
                service,
                MAINTENANCE_STARTED,
                Severity.MAINTENANCE,
                f"{service}: {headline}",
                "\n".join(lines),
                None,
                started[0].url if len(started) == 1 else None,
                phrase=headline if where.short else f"{headline} — {what}",
                tells=tuple((MAINTENANCE_STARTED, m.id) for m in started),
            ),
            Severity.MAINTENANCE,
        )

    def _severity_changed(
        self,
        service: str,
        previous: Severity,
        snapshot: Snapshot,
        state: _ServiceState,
        now: datetime,
    ) -> _Candidate | None:
        current = snapshot.severity
        if current > previous and current >= Severity.DEGRADED:
            return _Candidate(
                Notification(
                    now,
                    service,
                    ESCALATION,
                    current,
                    f"{service}: {current.label.lower()}",
                    snapshot.summary,
                    phrase=f"now {current.label.lower()}",
                ),
                current,
            )
        if current is Severity.OPERATIONAL and previous >= Severity.DEGRADED:
            recently_resolved = (
                state.resolved_at is not None
                and now - state.resolved_at < RECOVERY_AFTER_RESOLUTION
            )
            if recently_resolved and service not in self._when_resolved:
                return None
            return _Candidate(
                Notification(
                    now,
                    service,
                    RECOVERY,
                    current,
                    f"{service} is back to operational",
                    f"It was {previous.label.lower()}.",
                    phrase="back to operational",
                ),
                previous,
            )
        return None

    # -- deciding what reaches the user ---------------------------------------------------

    def _decide(
        self, candidates: list[_Candidate], now: datetime, *, storm: bool = True
    ) -> list[Notification]:
        out: list[Notification] = []
        for candidate in candidates:
            notification = candidate.notification
            service = notification.service
            if self._answers_when_resolved(notification):
                self._when_resolved.discard(service)
                self._save_controls()
                out.append(notification)  # asked for explicitly: nothing holds it back
                self._sent_times.append(now)
                continue
            if service in self._muted or self.is_snoozed(service, now):
                continue
            if candidate.weight < self._min_severity:
                continue
            let_through = (
                self.settings.quiet_hours_allow_major
                and candidate.weight is Severity.MAJOR_OUTAGE
                and not self.is_paused(now)
            )
            if self._holding(now) and not let_through:
                self._held.append(notification)
                self._save_controls()
                continue
            self._expire_storm_window(now)
            if storm and len(self._sent_times) >= self.settings.storm_limit:
                self._storm.append(notification)
                if self._storm_flush_at is None:
                    self._storm_flush_at = self._sent_times[0] + STORM_WINDOW
                continue
            self._sent_times.append(now)
            out.append(notification)
        return out

    def _answers_when_resolved(self, notification: Notification) -> bool:
        if notification.service not in self._when_resolved:
            return False
        if notification.event == RECOVERY:
            return True
        return (
            notification.event == INCIDENT_RESOLVED
            and notification.severity <= Severity.MAINTENANCE
        )

    def _expire_storm_window(self, now: datetime) -> None:
        while self._sent_times and now - self._sent_times[0] >= STORM_WINDOW:
            self._sent_times.popleft()

    def _holding(self, now: datetime) -> bool:
        return self.is_paused(now) or self._in_quiet_hours(now)

    def _in_quiet_hours(self, now: datetime) -> bool:
        if self._quiet_hours is None:
            return False
        start, end = self._quiet_hours
        local = _local(now, self._local_tz).time().replace(tzinfo=None)
        return _within(local, start, end)

    def _summary(self, items: list[Notification], now: datetime, lead: str | None) -> Notification:
        """ "3 more changes": one line per service naming what happened to it."""
        phrases: dict[str, dict[str, int]] = {}
        for item in items:
            said = phrases.setdefault(item.service, {})
            phrase = item.phrase or item.title
            said[phrase] = said.get(phrase, 0) + 1
        lines = [
            f"{service}: " + "; ".join(p if n == 1 else f"{p} ({n} times)" for p, n in said.items())
            for service, said in phrases.items()
        ]
        if len(lines) > SUMMARY_LINES:
            rest = len(lines) - SUMMARY_LINES
            lines = [*lines[:SUMMARY_LINES], f"… and {_count(rest, 'more service')}"]
        if lead:
            title = f"{lead}: {_count(len(items), 'change')}"
        else:
            title = _count(len(items), "more change")
        service = next(iter(phrases)) if len(phrases) == 1 else "traywatch"
        return Notification(
            now,
            service,
            SUMMARY,
            max(n.severity for n in items),
            title,
            "\n".join(lines),
            tells=tuple(told for n in items for told in n.tells),
        )

    def _baseline_summary(
        self, now: datetime, unanswered: int = 0, failed: int = 0
    ) -> list[Notification]:
        if self._awaiting_baseline or not self._baseline:
            return []
        seen, self._baseline = self._baseline, []
        troubled = sorted(
            (s for s in seen if s[1].severity > Severity.OPERATIONAL),
            key=lambda s: s[1].severity,
            reverse=True,
        )
        # A page that answered without a state we understand is not "operational".
        fine = sum(1 for _, s in seen if s.severity is Severity.OPERATIONAL)
        unknown = len(seen) - len(troubled) - fine + failed
        # Added to a running watchlist: said of these alone, never as if of everything.
        added = self._first_baseline_sent
        self._first_baseline_sent = True
        lines = _baseline_lines(troubled, fine, unanswered, added, unknown)
        if added:
            title = one_line(f"Now watching {', '.join(name for name, _ in seen)}", BUBBLE_LINE)
        else:
            title = f"Watching {_count(len(seen) + unanswered + failed, 'service')}"
        service = seen[0][0] if len(seen) == 1 and not unanswered and not failed else "traywatch"
        notification = Notification(
            now,
            service,
            CURRENT_STATE,
            max(s.severity for _, s in seen),
            title,
            "\n".join(lines),
            tells=tuple((CURRENT_STATE, i.id) for _, snap in seen for i in snap.active_incidents),
        )
        self._sent_times.append(now)
        return [notification]


def _baseline_lines(
    troubled: list[tuple[str, Snapshot]], fine: int, unanswered: int, added: bool, unknown: int = 0
) -> list[str]:
    """At most BUBBLE_LINES short lines, what a notification bubble shows without
    cutting: the worst services (one, and "and N more: …" when there are more than
    two), then the count of the others."""

    def said(name: str, snapshot: Snapshot) -> str:
        return one_line(f"{name} — {snapshot.severity.label}: {snapshot.summary}", BUBBLE_LINE)

    if len(troubled) <= BUBBLE_LINES - 1:
        lines = [said(name, snap) for name, snap in troubled]
    else:
        rest = [name for name, _ in troubled[1:]]
        lines = [
            said(*troubled[0]),
            one_line(f"and {len(rest)} more: {', '.join(rest)}", BUBBLE_LINE),
        ]
    others = []
    if fine:
        others.append(f"{_count(fine, 'other service' if troubled else 'service')} operational")
    if unknown:
        others.append(f"{_count(unknown, 'service')} could not be checked")
    if unanswered:
        others.append(f"{_count(unanswered, 'service')} not checked yet")
    if not troubled and not unanswered and not unknown:
        others = ["Operational" if added else "All systems operational"]
    said_of_others = ", ".join(others)
    if len(said_of_others) > BUBBLE_LINE:  # all three counts: in short
        short = [(fine, "operational"), (unknown, "could not be checked"), (unanswered, "pending")]
        said_of_others = ", ".join(f"{n} {what}" for n, what in short if n)
    if said_of_others:
        lines.append(said_of_others)
    return lines


def _notification_from_dict(data: dict[str, Any]) -> Notification:
    return Notification(
        at=datetime.fromisoformat(data["at"]),
        service=str(data["service"]),
        event=str(data["event"]),
        severity=Severity(data["severity"]),
        title=str(data["title"]),
        body=str(data["body"]),
        incident_id=data.get("incident_id"),
        url=data.get("url"),
    )


def _known(incident: Incident) -> dict[str, Any]:
    return {
        "severity": incident.severity.value,
        "title": incident.title,
        "url": incident.url,
        "missing": 0,
    }


def _incident_key(service: str, incident_id: str, what: str) -> str:
    return f"{service}\x1fincident\x1f{incident_id}\x1f{what}"


def _update_key(service: str, incident_id: str, key: str) -> str:
    return f"{service}\x1fupdate\x1f{incident_id}\x1f{key}"


def _maintenance_key(service: str, maintenance: Maintenance) -> str:
    return f"{service}\x1fmaintenance\x1f{maintenance.id}\x1fstarted"


def _local(value: datetime, tz: tzinfo | None) -> datetime:
    return value.astimezone(tz)


def _when(moment: datetime, now: datetime, tz: tzinfo | None) -> str:
    """ "18:00" today, "Tue 11 Mar 01:00" on another day."""
    local = _local(moment, tz)
    same_day = local.date() == _local(now, tz).date()
    return f"{local:%H:%M}" if same_day else f"{local:%a %d %b %H:%M}"


def _count(number: int, noun: str) -> str:
    """ "1 change", "3 changes"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class _Where:
    short: str  # "12 data centres", "Packages" or ""
    listed: str  # "12 data centres: AMS, FRA, LHR and 9 more", "Packages" or ""


def _where(maintenances: list[Maintenance], snapshot: Snapshot) -> _Where:
    names = list(dict.fromkeys(name for m in maintenances for name in m.components))
    if not names:
        return _Where("", "")
    places = find_places(snapshot.components)
    group_of = {c.name: c for c in snapshot.components}
    in_places = all(name in group_of and places.holds(group_of[name]) for name in names)
    shown = [short_name(name) for name in names[:WHERE_NAMES]]
    more = f" and {len(names) - WHERE_NAMES} more" if len(names) > WHERE_NAMES else ""
    listing = ", ".join(shown) + more
    if in_places:
        counted = places.count(len(names))
        return _Where(counted, f"{counted}: {listing}")
    if len(names) > WHERE_NAMES:
        counted = _count(len(names), "component")
        return _Where(counted, f"{counted}: {listing}")
    return _Where(listing, "" if len(names) == 1 else listing)


def _within(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight
