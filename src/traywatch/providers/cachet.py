"""Cachet 2.x (self-hosted), API v1: GET <base>/api/v1/components, plus, when they
answer, the open incidents, the component groups and the schedules. API versions
differ: an incidents endpoint that answers 404 leaves the components (what the
page mainly says) and the summary says incidents are unavailable.

Lists come as {meta: {pagination}, data: [...]}; one large page is asked for.
Component status 1 operational … 4 major outage (0 unknown); incident status
1-3 open, 4 fixed. Times are server-local without an offset (read as UTC)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
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
    as_int,
    as_str,
    join_url,
    load_json,
    require_mapping,
)

WHAT = "a Cachet components list"
COMPONENT = {
    0: Severity.UNKNOWN,
    1: Severity.OPERATIONAL,
    2: Severity.DEGRADED,
    3: Severity.PARTIAL_OUTAGE,
    4: Severity.MAJOR_OUTAGE,
}
INCIDENT_STATUS = {0: "scheduled", 1: "investigating", 2: "identified", 3: "watching", 4: "fixed"}


class CachetProvider(BaseProvider):
    kind = "cachet"
    title = "Cachet"

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/api/v1/components?per_page=200"),)

    def optional_documents(self, base_url: str) -> tuple[str, ...]:
        return (
            join_url(base_url, "/api/v1/incidents?per_page=50&sort=id&order=desc"),
            join_url(base_url, "/api/v1/components/groups?per_page=100"),
            join_url(base_url, "/api/v1/schedules?per_page=50"),
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
        raw_components = _data(require_mapping(load_json(body, WHAT), WHAT), WHAT)
        documents = {
            url.split("/api/v1/", 1)[-1].split("?")[0]: body for url, body in extra.items()
        }
        groups = {
            as_int(g.get("id")): as_str(g.get("name"))
            for g in _data_or_empty(documents.get("components/groups"))
        }
        components = tuple(
            Component(
                name=as_str(c.get("name"), "?"),
                severity=COMPONENT.get(as_int(c.get("status")) or 0, Severity.UNKNOWN),
                group=groups.get(as_int(c.get("group_id"))) or None,
                id=as_str(c.get("id")) or None,
            )
            for c in raw_components
            if c.get("enabled", True) is not False
        )
        by_id = {c.id: c for c in components}
        incidents = []
        for raw in _data_or_empty(documents.get("incidents")):
            status = as_int(raw.get("status"))
            if status is None or status in (0, 4) or raw.get("visible") in (0, False):
                continue
            component = by_id.get(as_str(raw.get("component_id")))
            severity = (
                component.severity
                if component and component.severity > Severity.OPERATIONAL
                else Severity.DEGRADED
            )
            incidents.append(
                Incident(
                    id=as_str(raw.get("id")),
                    title=one_line(plain_text(raw.get("name")) or "Incident"),
                    severity=severity,
                    status=INCIDENT_STATUS.get(status, "open"),
                    started_at=parse_datetime(raw.get("occurred_at") or raw.get("created_at")),
                    updated_at=parse_datetime(raw.get("updated_at")),
                    url=as_str(raw.get("permalink")) or None,
                    components=(component.name,) if component else (),
                    updates=(
                        IncidentUpdate(
                            at=parse_datetime(raw.get("updated_at")),
                            status=INCIDENT_STATUS.get(status, "open"),
                            text=plain_text(raw.get("message")),
                        ),
                    ),
                )
            )
        maintenances = tuple(
            Maintenance(
                id=as_str(s.get("id")),
                title=one_line(plain_text(s.get("name")) or "Maintenance"),
                status="in_progress" if as_int(s.get("status")) == 1 else "scheduled",
                starts_at=parse_datetime(s.get("scheduled_at")),
                ends_at=parse_datetime(s.get("completed_at")),
            )
            for s in _data_or_empty(documents.get("schedules"))
            if as_int(s.get("status")) in (0, 1)
        )
        signals = [*(c.severity for c in components), *(i.severity for i in incidents)]
        if any(m.active for m in maintenances):
            signals.append(Severity.MAINTENANCE)
        severity = worst(signals, default=Severity.OPERATIONAL)
        summary = describe(severity, components, tuple(incidents), maintenances)
        if "incidents" not in documents:
            summary += " · incidents unavailable"
        return Snapshot(
            severity=severity,
            summary=summary,
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(incidents),
            maintenances=maintenances,
        )


def _data(document: Mapping[str, Any], what: str) -> list[Mapping[str, Any]]:
    data = document.get("data")
    if not isinstance(data, list):
        raise ParseError(f"not {what}: missing 'data'")
    return [d for d in data if isinstance(d, Mapping)]


def _data_or_empty(body: bytes | None) -> list[Mapping[str, Any]]:
    if body is None:
        return []
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []
    return (
        _data(document, "a Cachet list")
        if isinstance(document, Mapping) and isinstance(document.get("data"), list)
        else []
    )
