"""Any RSS or Atom incident feed (Statuspage's history.atom/.rss, incident.io's
feed.atom…), for pages with nothing better.

Feeds are history, not state. Each entry's newest update is labelled
("<strong>Resolved</strong>", "<b>Status: Resolved</b>"): an entry labelled, titled
or categorised resolved/completed/postmortem is over; one labelled scheduled, in
progress or verifying (or carrying Statuspage's <maintenanceEndDate>) is a
maintenance, not an incident; any other entry that changed within the last day is
an open incident, which means degraded: there is no finer signal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from traywatch.core.model import Incident, IncidentUpdate, Maintenance, Severity, Snapshot
from traywatch.core.summary import describe
from traywatch.core.text import one_line
from traywatch.providers.base import NO_EXTRA, NO_OPTIONS, BaseProvider, ProviderOptions
from traywatch.providers.rss_atom import Entry, parse_feed

OPEN_FOR = timedelta(hours=24)
UPCOMING_FOR = timedelta(days=7)  # a scheduled maintenance announced this recently is listed
CLOSED_LABELS = frozenset({"resolved", "completed", "postmortem"})
MAINTENANCE_LABELS = {
    "scheduled": "scheduled",
    "in progress": "in_progress",
    "verifying": "verifying",
}
# "[RESOLVED] Increased error rates", "Resolved: …"
_RESOLVED_TITLE = re.compile(r"^\s*(?:\[\s*resolved\s*\]|resolved\s*[:-])", re.IGNORECASE)


class FeedProvider(BaseProvider):
    kind = "feed"
    title = "RSS/Atom feed"

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        path = base_url.rstrip("/").lower()
        if path.endswith((".atom", ".rss", ".xml", "/feed", "/rss")):
            return (base_url,)
        base = base_url.rstrip("/")
        return (f"{base}/history.atom", f"{base}/feed.atom", f"{base}/history.rss")

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        feed = parse_feed(body)
        incidents: list[Incident] = []
        maintenances: list[Maintenance] = []
        for entry in feed.entries:
            if _closed(entry):
                continue
            maintenance = _maintenance(entry, fetched_at)
            if maintenance is not None:
                maintenances.append(maintenance)
            elif entry.updated is not None and fetched_at - entry.updated < OPEN_FOR:
                incidents.append(_incident(entry))
        if incidents:
            severity = Severity.DEGRADED
        elif any(m.active for m in maintenances):
            severity = Severity.MAINTENANCE
        else:
            severity = Severity.OPERATIONAL
        return Snapshot(
            severity=severity,
            summary=describe(severity, (), tuple(incidents), tuple(maintenances)),
            fetched_at=fetched_at,
            incidents=tuple(incidents),
            maintenances=tuple(maintenances),
            page_name=feed.title or None,
        )


def _closed(entry: Entry) -> bool:
    return (
        entry.label in CLOSED_LABELS
        or bool(CLOSED_LABELS & set(entry.categories))
        or bool(_RESOLVED_TITLE.match(entry.title))
    )


def _maintenance(entry: Entry, now: datetime) -> Maintenance | None:
    """The entry as a maintenance, if it is one that is not over."""
    status = MAINTENANCE_LABELS.get(entry.label or "")
    if status is None and entry.ends_at is None and "maintenance" not in entry.categories:
        return None
    if entry.ends_at is not None and entry.ends_at <= now:
        return None  # its window has passed
    if status is None:  # Statuspage RSS: pubDate is the start, maintenanceEndDate the end
        started = entry.updated is not None and entry.updated <= now
        status = "in_progress" if started else "scheduled"
    recent = entry.updated is not None and now - entry.updated < (
        UPCOMING_FOR if status == "scheduled" else OPEN_FOR
    )
    if entry.ends_at is None and not recent:
        return None  # an old entry nobody closed
    return Maintenance(
        id=entry.id,
        title=one_line(entry.title),
        status=status,
        starts_at=entry.updated if status != "scheduled" else None,
        ends_at=entry.ends_at,
        url=entry.link,
    )


def _incident(entry: Entry) -> Incident:
    status = entry.label or "open"
    return Incident(
        id=entry.id,
        title=one_line(entry.title),
        severity=Severity.DEGRADED,
        status=status,
        started_at=entry.updated,
        updated_at=entry.updated,
        url=entry.link,
        updates=(IncidentUpdate(at=entry.updated, status=status, text=entry.text),),
    )
