"""Slack's status API: GET https://slack-status.com/api/v2.0.0/current.

{status: ok|active, active_incidents: [{id (a number), title, type: incident |
notice | outage, status, url, services[], notes[] (newest first)}]}. Times carry
Pacific offsets. A "notice" is information, not degradation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from traywatch.core.errors import ParseError
from traywatch.core.model import Incident, IncidentUpdate, Severity, Snapshot, worst
from traywatch.core.summary import components_from_incidents, describe
from traywatch.core.text import one_line, plain_text
from traywatch.core.timeparse import parse_datetime
from traywatch.providers.base import (
    NO_EXTRA,
    NO_OPTIONS,
    BaseProvider,
    ProviderOptions,
    as_list,
    as_str,
    load_json,
    require_mapping,
)

WHAT = "a Slack status response"
ENDPOINT = "https://slack-status.com/api/v2.0.0/current"
TYPE = {
    "outage": Severity.MAJOR_OUTAGE,
    "incident": Severity.DEGRADED,
    "notice": Severity.OPERATIONAL,
    "maintenance": Severity.MAINTENANCE,
}


class SlackProvider(BaseProvider):
    kind = "slack"
    title = "Slack status API"
    detect_by_response = False
    hosts = ("slack-status.com", "status.slack.com")

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        if "/api/" in base_url:
            return (base_url,)
        return (
            (ENDPOINT,)
            if self.recognises(base_url)
            else (base_url.rstrip("/") + "/api/v2.0.0/current",)
        )

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
        status = data.get("status")
        if status not in ("ok", "active"):
            raise ParseError(f"not {WHAT}: missing 'status'")
        incidents = tuple(
            _incident(raw)
            for raw in as_list(data.get("active_incidents"))
            if isinstance(raw, Mapping)
        )
        open_incidents = tuple(i for i in incidents if not i.resolved)
        components = components_from_incidents(open_incidents)
        severity = worst((i.severity for i in open_incidents), default=Severity.OPERATIONAL)
        return Snapshot(
            severity=severity,
            summary=describe(severity, components, open_incidents, ()),
            fetched_at=fetched_at,
            components=components,
            incidents=open_incidents,
            page_name="Slack",
        )


def _incident(raw: Mapping[str, Any]) -> Incident:
    kind = as_str(raw.get("type"), "incident")
    status = as_str(raw.get("status"), "active")
    return Incident(
        id=as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("title")) or "Slack incident"),
        severity=TYPE.get(kind, Severity.UNKNOWN),
        status="resolved" if status in ("resolved", "completed", "cancelled") else status,
        started_at=parse_datetime(raw.get("date_created")),
        updated_at=parse_datetime(raw.get("date_updated")),
        url=as_str(raw.get("url")) or None,
        components=tuple(as_str(s) for s in as_list(raw.get("services")) if as_str(s)),
        updates=tuple(
            IncidentUpdate(
                at=parse_datetime(n.get("date_created")),
                status=kind,
                text=plain_text(n.get("body")),
            )
            for n in as_list(raw.get("notes"))
            if isinstance(n, Mapping)
        ),
    )
