"""Instatus pages: GET <page>/summary.json (and, when it answers, /v3/components.json).

{page: {name, url, status: UP|HASISSUES|UNDERMAINTENANCE}, activeIncidents[],
activeMaintenances[]}; the arrays are left out when empty. `started` may be a
JavaScript Date string."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

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
    join_url,
    load_json,
    require_mapping,
)

WHAT = "an Instatus summary"
PAGE = {
    "UP": Severity.OPERATIONAL,
    "HASISSUES": Severity.DEGRADED,
    "UNDERMAINTENANCE": Severity.MAINTENANCE,
}
IMPACT = {
    "OPERATIONAL": Severity.OPERATIONAL,
    "UNDERMAINTENANCE": Severity.MAINTENANCE,
    "DEGRADEDPERFORMANCE": Severity.DEGRADED,
    "PARTIALOUTAGE": Severity.PARTIAL_OUTAGE,
    "MINOROUTAGE": Severity.PARTIAL_OUTAGE,
    "MAJOROUTAGE": Severity.MAJOR_OUTAGE,
}


class InstatusProvider(BaseProvider):
    kind = "instatus"
    title = "Instatus"
    hosts = ("instatus.com",)

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/summary.json"),)

    def optional_documents(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/v3/components.json"),)

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
        page = data.get("page")
        if not isinstance(page, Mapping) or not isinstance(page.get("status"), str):
            raise ParseError(f"not {WHAT}: missing 'page.status'")
        page_severity = PAGE.get(page["status"].upper(), Severity.UNKNOWN)
        incidents = tuple(
            _incident(raw)
            for raw in as_list(data.get("activeIncidents"))
            if isinstance(raw, Mapping)
        )
        maintenances = tuple(
            Maintenance(
                id=as_str(raw.get("id")) or as_str(raw.get("url")),
                title=one_line(plain_text(raw.get("name")) or "Maintenance"),
                status="in_progress"
                if as_str(raw.get("status")).upper() == "INPROGRESS"
                else "scheduled",
                starts_at=parse_datetime(raw.get("start")),
                url=as_str(raw.get("url")) or None,
            )
            for raw in as_list(data.get("activeMaintenances"))
            if isinstance(raw, Mapping)
        )
        components: tuple[Component, ...] = ()
        for document in extra.values():
            components = _components(document) or components
        signals = [
            page_severity,
            *(i.severity for i in incidents),
            *(c.severity for c in components),
        ]
        if any(m.active for m in maintenances):
            signals.append(Severity.MAINTENANCE)
        severity = worst(signals, default=Severity.UNKNOWN)
        return Snapshot(
            severity=severity,
            summary=describe(severity, components, incidents, maintenances),
            fetched_at=fetched_at,
            components=components,
            incidents=incidents,
            maintenances=maintenances,
            page_name=as_str(page.get("name")) or None,
        )


def _incident(raw: Mapping[str, Any]) -> Incident:
    status = as_str(raw.get("status"), "INVESTIGATING").lower()
    return Incident(
        id=as_str(raw.get("id")) or as_str(raw.get("url")) or as_str(raw.get("name")),
        title=one_line(plain_text(raw.get("name")) or "Incident"),
        severity=IMPACT.get(as_str(raw.get("impact")).upper(), Severity.DEGRADED),
        status=status,
        started_at=parse_datetime(raw.get("started")),
        updated_at=parse_datetime(raw.get("updatedAt")),
        url=as_str(raw.get("url")) or None,
    )


def _components(body: bytes) -> tuple[Component, ...]:
    """Live pages send {components: [...]}, the docs a bare list with children: both."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return ()
    items = data.get("components") if isinstance(data, Mapping) else data
    out: list[Component] = []
    for raw in as_list(items):
        if not isinstance(raw, Mapping):
            continue
        children = [c for c in as_list(raw.get("children")) if isinstance(c, Mapping)]
        group = raw.get("group")
        group_name = as_str(group.get("name")) if isinstance(group, Mapping) else ""
        pairs = [(c, as_str(raw.get("name"))) for c in children] or [(raw, group_name)]
        for item, parent in pairs:
            out.append(
                Component(
                    name=as_str(item.get("name"), "?"),
                    severity=IMPACT.get(as_str(item.get("status")).upper(), Severity.UNKNOWN),
                    group=parent or None,
                    id=as_str(item.get("id")) or None,
                )
            )
    return tuple(out)
