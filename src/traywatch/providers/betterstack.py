"""Better Stack (formerly Better Uptime) status pages: GET <page>/index.json (JSON:API).

data.attributes.aggregate_state is operational | degraded | downtime |
maintenance; `included` holds the resources (sections and monitors) and status
reports. A resolved report can still have no `ends_at`: trust its state."""

from __future__ import annotations

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

WHAT = "a Better Stack status page"
STATE = {
    "operational": Severity.OPERATIONAL,
    "degraded": Severity.DEGRADED,
    "downtime": Severity.MAJOR_OUTAGE,
    "maintenance": Severity.MAINTENANCE,
}


class BetterstackProvider(BaseProvider):
    kind = "betterstack"
    title = "Better Stack status page"
    hosts = ("betteruptime.com", "betterstack.com")

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/index.json"),)

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
        main = data.get("data")
        attributes = main.get("attributes") if isinstance(main, Mapping) else None
        if not isinstance(attributes, Mapping) or "aggregate_state" not in attributes:
            raise ParseError(f"not {WHAT}: missing 'data.attributes.aggregate_state'")
        page_severity = STATE.get(as_str(attributes.get("aggregate_state")), Severity.UNKNOWN)
        included = [i for i in as_list(data.get("included")) if isinstance(i, Mapping)]
        sections = {
            as_str(i.get("id")): as_str(_attrs(i).get("name"))
            for i in included
            if i.get("type") == "status_page_section"
        }
        components = tuple(
            Component(
                name=as_str(_attrs(i).get("public_name"), "?"),
                severity=STATE.get(as_str(_attrs(i).get("status")), Severity.UNKNOWN),
                group=sections.get(as_str(_attrs(i).get("status_page_section_id"))) or None,
                id=as_str(i.get("id")) or None,
            )
            for i in included
            if i.get("type") == "status_page_resource"
            and as_str(_attrs(i).get("status")) != "not_monitored"
        )
        incidents: list[Incident] = []
        maintenances: list[Maintenance] = []
        for item in included:
            if item.get("type") != "status_report":
                continue
            attrs = _attrs(item)
            state = as_str(attrs.get("aggregate_state"))
            if state == "resolved":
                continue
            if as_str(attrs.get("report_type")) == "maintenance":
                maintenances.append(
                    Maintenance(
                        id=as_str(item.get("id")),
                        title=one_line(plain_text(attrs.get("title")) or "Maintenance"),
                        status="in_progress" if state == "maintenance" else "scheduled",
                        starts_at=parse_datetime(attrs.get("starts_at")),
                        ends_at=parse_datetime(attrs.get("ends_at")),
                    )
                )
            else:
                incidents.append(
                    Incident(
                        id=as_str(item.get("id")),
                        title=one_line(plain_text(attrs.get("title")) or "Incident"),
                        severity=STATE.get(state, Severity.DEGRADED),
                        status="open",
                        started_at=parse_datetime(attrs.get("starts_at")),
                    )
                )
        signals = [
            page_severity,
            *(c.severity for c in components),
            *(i.severity for i in incidents),
        ]
        severity = worst(signals, default=Severity.UNKNOWN)
        return Snapshot(
            severity=severity,
            summary=describe(severity, components, tuple(incidents), tuple(maintenances)),
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(incidents),
            maintenances=tuple(maintenances),
            page_name=as_str(attributes.get("company_name")) or None,
        )


def _attrs(item: Mapping[str, Any]) -> Mapping[str, Any]:
    attributes = item.get("attributes")
    return attributes if isinstance(attributes, Mapping) else {}
