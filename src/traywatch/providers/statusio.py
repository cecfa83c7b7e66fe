"""status.io pages (GitLab, older Docker, …): GET https://api.status.io/1.0/status/<page id>.

The 24-hex page id is in the page's HTML; configure the API address. Use
`status_code` (100 operational … 600 security event), not the status text,
which varies between pages. A container can differ from its component: the worse
one counts."""

from __future__ import annotations

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
    as_list,
    as_str,
    load_json,
    require_mapping,
)

WHAT = "a status.io status response"
CODE = {
    100: Severity.OPERATIONAL,
    200: Severity.MAINTENANCE,
    300: Severity.DEGRADED,
    400: Severity.PARTIAL_OUTAGE,
    500: Severity.MAJOR_OUTAGE,
    600: Severity.MAJOR_OUTAGE,
}


def _code(value: object) -> Severity:
    code = as_int(value)
    return CODE.get(code, Severity.UNKNOWN) if code is not None else Severity.UNKNOWN


class StatusioProvider(BaseProvider):
    kind = "statusio"
    title = "status.io"
    detect_by_response = False
    hosts = ("api.status.io",)

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (base_url,)

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
        result = data.get("result")
        if not isinstance(result, Mapping) or not isinstance(result.get("status_overall"), Mapping):
            raise ParseError(f"not {WHAT}: missing 'result.status_overall'")
        overall = _code(result["status_overall"].get("status_code"))
        components: list[Component] = []
        for raw in as_list(result.get("status")):
            if not isinstance(raw, Mapping):
                continue
            containers = [c for c in as_list(raw.get("containers")) if isinstance(c, Mapping)]
            severity = worst(
                [_code(raw.get("status_code")), *(_code(c.get("status_code")) for c in containers)],
                default=Severity.UNKNOWN,
            )
            components.append(
                Component(
                    name=as_str(raw.get("name"), "?"),
                    severity=severity,
                    id=as_str(raw.get("id")) or None,
                )
            )
        incidents = tuple(
            _incident(raw) for raw in as_list(result.get("incidents")) if isinstance(raw, Mapping)
        )
        maintenance = result.get("maintenance")
        maintenance = maintenance if isinstance(maintenance, Mapping) else {}
        maintenances = tuple(
            _maintenance(raw, status)
            for key, status in (("active", "in_progress"), ("upcoming", "scheduled"))
            for raw in as_list(maintenance.get(key))
            if isinstance(raw, Mapping)
        )
        signals = [overall, *(c.severity for c in components), *(i.severity for i in incidents)]
        if any(m.active for m in maintenances):
            signals.append(Severity.MAINTENANCE)
        severity = worst(signals, default=Severity.UNKNOWN)
        return Snapshot(
            severity=severity,
            summary=describe(
                severity,
                tuple(components),
                incidents,
                maintenances,
                as_str(result["status_overall"].get("status")),
            ),
            fetched_at=fetched_at,
            components=tuple(components),
            incidents=incidents,
            maintenances=maintenances,
        )


def _messages(raw: Mapping[str, Any]) -> tuple[IncidentUpdate, ...]:
    messages = [m for m in as_list(raw.get("messages")) if isinstance(m, Mapping)]
    updates = [
        IncidentUpdate(
            at=parse_datetime(m.get("datetime")),
            status=as_str(m.get("state"), "update"),
            text=plain_text(m.get("details")),
        )
        for m in messages
    ]
    updates.sort(key=lambda u: u.at.timestamp() if u.at else 0.0, reverse=True)
    return tuple(updates)


def _incident(raw: Mapping[str, Any]) -> Incident:
    updates = _messages(raw)
    codes = [_code(m.get("status")) for m in as_list(raw.get("messages")) if isinstance(m, Mapping)]
    severity = worst(codes, default=Severity.DEGRADED)
    return Incident(
        id=as_str(raw.get("_id")) or as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("name")) or "Incident"),
        severity=severity if severity > Severity.OPERATIONAL else Severity.DEGRADED,
        status="open",
        started_at=parse_datetime(raw.get("datetime_open")),
        updated_at=updates[0].at if updates else None,
        updates=updates,
    )


def _maintenance(raw: Mapping[str, Any], status: str) -> Maintenance:
    return Maintenance(
        id=as_str(raw.get("_id")) or as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("name")) or "Maintenance"),
        status=status,
        starts_at=parse_datetime(raw.get("datetime_planned_start")),
        ends_at=parse_datetime(raw.get("datetime_planned_end")),
    )
