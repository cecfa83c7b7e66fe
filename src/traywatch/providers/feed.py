"""Any RSS or Atom incident feed (Statuspage's history.atom, incident.io's feed.atom…),
for pages with nothing better.

Feeds are history, not state: an entry counts as an open incident when its newest
update is not labelled resolved/completed/postmortem and it changed within the
last day. Open entries mean degraded; there is no finer signal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from traywatch.core.model import Incident, IncidentUpdate, Severity, Snapshot
from traywatch.core.text import one_line
from traywatch.providers.base import NO_EXTRA, NO_OPTIONS, BaseProvider, ProviderOptions
from traywatch.providers.feeds import Entry, parse_feed
from traywatch.providers.summary import describe

OPEN_FOR = timedelta(hours=24)
CLOSED_LABELS = frozenset({"resolved", "completed", "postmortem"})


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
        incidents = tuple(_incident(e) for e in feed.entries if _is_open(e, fetched_at))
        severity = Severity.DEGRADED if incidents else Severity.OPERATIONAL
        return Snapshot(
            severity=severity,
            summary=describe(severity, (), incidents, ()),
            fetched_at=fetched_at,
            incidents=incidents,
            page_name=feed.title or None,
        )


def _is_open(entry: Entry, now: datetime) -> bool:
    if entry.label in CLOSED_LABELS:
        return False
    return entry.updated is not None and now - entry.updated < OPEN_FOR


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
