"""Uptime Kuma public status pages (self-hosted).

The page address is <host>/status/<slug>; read GET <host>/api/status-page/<slug>
(monitors in groups, incidents, maintenance) and /api/status-page/heartbeat/<slug>
(heartbeats per monitor id, oldest first: 0 down, 1 up, 2 pending, 3
maintenance). All monitors down is a major outage, some down a partial one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from traywatch.core.errors import ParseError
from traywatch.core.model import (
    Component,
    Incident,
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
    load_json,
    require_mapping,
)

WHAT = "an Uptime Kuma status page"
BEAT = {
    0: Severity.MAJOR_OUTAGE,
    1: Severity.OPERATIONAL,
    2: Severity.DEGRADED,
    3: Severity.MAINTENANCE,
}
STYLE = {"warning": Severity.DEGRADED, "danger": Severity.MAJOR_OUTAGE}


def _api(base_url: str, path: str) -> str:
    parts = urlsplit(base_url)
    segments = [s for s in parts.path.split("/") if s]
    slug = segments[-1] if segments else "default"
    return urlunsplit((parts.scheme, parts.netloc, f"/api/status-page/{path}{slug}", "", ""))


class UptimeKumaProvider(BaseProvider):
    kind = "uptime-kuma"
    title = "Uptime Kuma status page"
    detect_by_response = False

    def recognises(self, base_url: str) -> bool:
        return "/status/" in urlsplit(base_url).path

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (_api(base_url, ""),)

    def extra_documents(self, base_url: str) -> tuple[str, ...]:
        return (_api(base_url, "heartbeat/"),)

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
        if not isinstance(data.get("publicGroupList"), list):
            raise ParseError(f"not {WHAT}: missing 'publicGroupList'")
        beats = _heartbeats(extra)
        components = []
        for group in as_list(data.get("publicGroupList")):
            if not isinstance(group, Mapping):
                continue
            for monitor in as_list(group.get("monitorList")):
                if not isinstance(monitor, Mapping):
                    continue
                history = beats.get(as_str(monitor.get("id")), [])
                last = history[-1] if history else None
                status = last.get("status") if isinstance(last, Mapping) else None
                components.append(
                    Component(
                        name=as_str(monitor.get("name"), "?"),
                        severity=BEAT.get(status, Severity.UNKNOWN)
                        if isinstance(status, int)
                        else Severity.UNKNOWN,
                        group=as_str(group.get("name")) or None,
                        id=as_str(monitor.get("id")) or None,
                    )
                )
        raw_incidents = data.get("incidents")
        if raw_incidents is None and isinstance(data.get("incident"), Mapping):
            raw_incidents = [data["incident"]]  # Uptime Kuma 1.x
        incidents = tuple(
            Incident(
                id=as_str(raw.get("id")),
                title=one_line(plain_text(raw.get("title")) or "Incident"),
                severity=STYLE.get(as_str(raw.get("style")), Severity.OPERATIONAL),
                status="active",
                started_at=parse_datetime(raw.get("createdDate")),
                updated_at=parse_datetime(raw.get("lastUpdatedDate")),
            )
            for raw in as_list(raw_incidents)
            if isinstance(raw, Mapping) and raw.get("active", True) is not False
        )
        maintenances = tuple(
            Maintenance(
                id=as_str(raw.get("id")),
                title=one_line(plain_text(raw.get("title")) or "Maintenance"),
                status="in_progress"
                if as_str(raw.get("status")) in ("", "under-maintenance")
                else "scheduled",
            )
            for raw in as_list(data.get("maintenanceList"))
            if isinstance(raw, Mapping)
        )
        severity = _page_severity(components, incidents, maintenances)
        config = data.get("config")
        title = as_str(config.get("title")) if isinstance(config, Mapping) else ""
        return Snapshot(
            severity=severity,
            summary=describe(severity, tuple(components), incidents, maintenances),
            fetched_at=fetched_at,
            components=tuple(components),
            incidents=incidents,
            maintenances=maintenances,
            page_name=title or None,
        )


def _heartbeats(extra: Mapping[str, bytes]) -> dict[str, list[Any]]:
    for body in extra.values():
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            raise ParseError(f"not {WHAT}: unreadable heartbeats") from None
        beats = document.get("heartbeatList") if isinstance(document, Mapping) else None
        if isinstance(beats, Mapping):
            return {str(k): list(v) for k, v in beats.items() if isinstance(v, list)}
    return {}


def _page_severity(
    components: list[Component],
    incidents: tuple[Incident, ...],
    maintenances: tuple[Maintenance, ...],
) -> Severity:
    known = [c for c in components if c.severity is not Severity.UNKNOWN]
    down = [c for c in known if c.severity is Severity.MAJOR_OUTAGE]
    if known and len(down) == len(known):
        page = Severity.MAJOR_OUTAGE
    elif down:
        page = Severity.PARTIAL_OUTAGE
    else:
        page = worst((c.severity for c in known), default=Severity.OPERATIONAL)
    signals = [page, *(i.severity for i in incidents)]
    if any(m.active for m in maintenances):
        signals.append(Severity.MAINTENANCE)
    return worst(signals, default=Severity.OPERATIONAL)
