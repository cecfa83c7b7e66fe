"""Heroku's own status API, v4: GET /api/v4/current-status.

Shape: {status: [{system, status: green|yellow|red|blue}], incidents: [...],
scheduled: [...]}. Traps: `resolved` is sometimes false on items whose `state`
is "resolved" (trust `state`), and `scheduled` keeps maintenances long after
they ended (show only those whose window has not passed; never raise severity
from them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from traywatch.core.errors import ParseError
from traywatch.core.model import (
    Component,
    Incident,
    IncidentUpdate,
    Maintenance,
    Severity,
    Snapshot,
    worst,
)
from traywatch.core.summary import describe
from traywatch.core.text import one_line, plain_text
from traywatch.core.timeparse import parse_datetime
from traywatch.providers.base import (
    NO_EXTRA,
    NO_OPTIONS,
    BaseProvider,
    ProviderOptions,
    as_list,
    as_str,
    join_url,
    load_json,
    require_mapping,
)

WHAT = "a Heroku status response"

COLOUR = {
    "green": Severity.OPERATIONAL,
    "blue": Severity.MAINTENANCE,
    "yellow": Severity.DEGRADED,
    "red": Severity.MAJOR_OUTAGE,
}
# How long a scheduled maintenance without an end is believed after it started.
_UNENDED_MAINTENANCE_LIFETIME = timedelta(hours=12)


class HerokuProvider(BaseProvider):
    kind = "heroku"
    title = "Heroku status API"
    hosts = ("status.heroku.com",)

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/api/v4/current-status"),)

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        data = require_mapping(load_json(body, WHAT), WHAT)
        systems = data.get("status")
        if not isinstance(systems, list):
            raise ParseError(f"not {WHAT}: missing 'status'")

        components = tuple(
            Component(
                name=as_str(s.get("system"), "?"),
                severity=COLOUR.get(as_str(s.get("status")).lower(), Severity.UNKNOWN),
            )
            for s in systems
            if isinstance(s, Mapping)
        )
        incidents = tuple(
            _incident(raw, page_url)
            for raw in as_list(data.get("incidents"))
            if isinstance(raw, Mapping)
        )
        maintenances = tuple(
            m
            for m in (
                _maintenance(raw, page_url)
                for raw in as_list(data.get("scheduled"))
                if isinstance(raw, Mapping)
            )
            if _still_relevant(m, fetched_at)
        )
        signals = [c.severity for c in components]
        signals += [i.severity for i in incidents if not i.resolved]
        severity = worst(signals, default=Severity.UNKNOWN)
        return Snapshot(
            severity=severity,
            summary=describe(severity, components, incidents, ()),
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(i for i in incidents if not i.resolved),
            maintenances=maintenances,
            page_name="Heroku Status",
        )


def _incident(raw: Mapping[str, Any], page_url: str) -> Incident:
    systems = [s for s in as_list(raw.get("systems")) if isinstance(s, Mapping)]
    severity = worst(
        (COLOUR.get(as_str(s.get("status")).lower(), Severity.UNKNOWN) for s in systems),
        default=Severity.DEGRADED,  # an open incident with no colour is still an incident
    )
    state = as_str(raw.get("state")).lower() or ("resolved" if raw.get("resolved") else "open")
    updates = tuple(
        IncidentUpdate(
            at=parse_datetime(u.get("updated_at") or u.get("created_at")),
            status=as_str(u.get("update_type"), "update"),
            text=plain_text(u.get("contents")),
        )
        for u in as_list(raw.get("updates"))
        if isinstance(u, Mapping)
    )
    ident = as_str(raw.get("id"))
    url = as_str(raw.get("full_url")) or (
        join_url(page_url, f"/incidents/{ident}") if ident else ""
    )
    return Incident(
        id=ident,
        title=one_line(plain_text(raw.get("title")) or "Untitled incident"),
        severity=severity,
        status=state,
        started_at=parse_datetime(raw.get("created_at")),
        updated_at=parse_datetime(raw.get("updated_at")) or (updates[0].at if updates else None),
        url=url or None,
        components=tuple(as_str(s.get("name")) for s in systems if as_str(s.get("name"))),
        updates=updates,
    )


def _maintenance(raw: Mapping[str, Any], page_url: str) -> Maintenance:
    ident = as_str(raw.get("id"))
    return Maintenance(
        id=ident,
        title=one_line(plain_text(raw.get("title")) or "Scheduled maintenance"),
        status=as_str(raw.get("state"), "scheduled").lower(),
        starts_at=parse_datetime(raw.get("scheduled_for") or raw.get("created_at")),
        ends_at=parse_datetime(raw.get("scheduled_until") or raw.get("ends_at")),
        url=as_str(raw.get("full_url"))
        or (join_url(page_url, f"/incidents/{ident}") if ident else None),
    )


def _still_relevant(maintenance: Maintenance, now: datetime) -> bool:
    if maintenance.status in ("completed", "resolved"):
        return False
    if maintenance.ends_at is not None:
        return maintenance.ends_at > now
    if maintenance.starts_at is not None:
        return maintenance.starts_at + _UNENDED_MAINTENANCE_LIFETIME > now
    return False
