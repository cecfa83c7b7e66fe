"""Atlassian Statuspage public API v2 (and incident.io's compatible endpoints).

One GET of /api/v2/summary.json gives the indicator, components, unresolved
incidents and upcoming/active maintenances. The page's own indicator lags and is
coarse, so the service severity is the worst of every signal it gives, judged by
core.focus (which discounts the indicator and single places on pages listing
data centres by region)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from traywatch.core.errors import ParseError
from traywatch.core.focus import judge
from traywatch.core.model import (
    Component,
    Incident,
    IncidentUpdate,
    Maintenance,
    Severity,
    Snapshot,
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

WHAT = "a Statuspage summary"

INDICATOR = {
    "none": Severity.OPERATIONAL,
    "maintenance": Severity.MAINTENANCE,
    "minor": Severity.DEGRADED,
    "major": Severity.PARTIAL_OUTAGE,
    "critical": Severity.MAJOR_OUTAGE,
}
COMPONENT_STATUS = {
    "operational": Severity.OPERATIONAL,
    "under_maintenance": Severity.MAINTENANCE,
    "degraded_performance": Severity.DEGRADED,
    "partial_outage": Severity.PARTIAL_OUTAGE,
    "major_outage": Severity.MAJOR_OUTAGE,
}
IMPACT = {
    "none": Severity.OPERATIONAL,
    "maintenance": Severity.MAINTENANCE,
    "minor": Severity.DEGRADED,
    "major": Severity.PARTIAL_OUTAGE,
    "critical": Severity.MAJOR_OUTAGE,
}


def _is_placeholder(name: str) -> bool:
    # GitHub lists a pseudo-component pointing at its page; its fields look like any other.
    lowered = name.lower()
    return lowered.startswith("visit ") and "for more information" in lowered


class StatuspageProvider(BaseProvider):
    kind = "statuspage"
    title = "Statuspage"

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        return (join_url(base_url, "/api/v2/summary.json"),)

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
        return parse_summary(data, fetched_at=fetched_at, page_url=page_url)


def parse_summary(data: Mapping[str, Any], *, fetched_at: datetime, page_url: str) -> Snapshot:
    """Parse summary.json; also any other v2 document (status, components, incidents),
    which carries a subset of the same fields."""
    status = data.get("status")
    has_lists = isinstance(data.get("components"), list) or isinstance(data.get("incidents"), list)
    indicator: Severity | None = None
    if isinstance(status, Mapping) and isinstance(status.get("indicator"), str):
        indicator = INDICATOR.get(status["indicator"], Severity.UNKNOWN)
        description = as_str(status.get("description"))
    elif status is None and has_lists:
        description = ""
    else:
        raise ParseError(f"not {WHAT}: missing 'status'")

    raw_page = data.get("page")
    page: Mapping[str, Any] = raw_page if isinstance(raw_page, Mapping) else {}
    page_name = as_str(page.get("name")) or None
    link_base = as_str(page.get("url")) or page_url

    components = _components(as_list(data.get("components")))
    incidents = tuple(
        _incident(raw, link_base)
        for raw in as_list(data.get("incidents"))
        if isinstance(raw, Mapping)
    )
    maintenances = tuple(
        _maintenance(raw, link_base)
        for raw in as_list(data.get("scheduled_maintenances"))
        if isinstance(raw, Mapping)
    )

    verdict = judge(
        components,
        incidents,
        maintenances,
        indicator=indicator,
        default=Severity.OPERATIONAL if has_lists else Severity.UNKNOWN,
    )
    return Snapshot(
        severity=verdict.severity,
        summary=describe(
            verdict.severity,
            verdict.shown,
            incidents,
            maintenances,
            description,
            note=verdict.note,
        ),
        fetched_at=fetched_at,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        page_name=page_name,
        extra={"platform": "incidentio"} if _is_ulid(as_str(page.get("id"))) else {},
    )


def _is_ulid(page_id: str) -> bool:
    # incident.io pages answer the Statuspage API with 26-character ULID page ids.
    return len(page_id) == 26 and page_id.startswith("01") and page_id.isalnum()


def _components(raw_list: list[Any]) -> tuple[Component, ...]:
    raws = [c for c in raw_list if isinstance(c, Mapping)]
    group_names = {
        as_str(c.get("id")): as_str(c.get("name")) for c in raws if c.get("group") is True
    }
    children_of_groups = {as_str(c.get("group_id")) for c in raws if c.get("group_id")}
    result = []
    for raw in raws:
        name = as_str(raw.get("name")).strip()
        cid = as_str(raw.get("id")) or None
        if not name or _is_placeholder(name):
            continue
        # A group's status is the roll-up of its children: counting both would double count.
        if raw.get("group") is True and cid in children_of_groups:
            continue
        result.append(
            Component(
                name=name,
                severity=COMPONENT_STATUS.get(as_str(raw.get("status")), Severity.UNKNOWN),
                group=group_names.get(as_str(raw.get("group_id"))) or None,
                id=cid,
            )
        )
    return tuple(result)


def _updates(raw_list: list[Any]) -> tuple[IncidentUpdate, ...]:
    return tuple(
        IncidentUpdate(
            at=parse_datetime(u.get("display_at") or u.get("created_at")),
            status=as_str(u.get("status"), "update"),
            text=plain_text(u.get("body")),
        )
        for u in raw_list
        if isinstance(u, Mapping)
    )


def _link(raw: Mapping[str, Any], link_base: str, kind: str) -> str | None:
    shortlink = as_str(raw.get("shortlink"))
    if shortlink.startswith(("https://", "http://")):
        return shortlink
    ident = as_str(raw.get("id"))
    if ident and link_base.startswith(("https://", "http://")):
        return join_url(link_base, f"/{kind}/{ident}")
    return None


def _component_names(raw: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        as_str(comp.get("name")).strip()
        for comp in as_list(raw.get("components"))
        if isinstance(comp, Mapping) and as_str(comp.get("name")).strip()
    )


def _incident(raw: Mapping[str, Any], link_base: str) -> Incident:
    return Incident(
        id=as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("name")) or "Untitled incident"),
        severity=IMPACT.get(as_str(raw.get("impact")), Severity.UNKNOWN),
        status=as_str(raw.get("status"), "unknown"),
        started_at=parse_datetime(raw.get("started_at") or raw.get("created_at")),
        updated_at=parse_datetime(raw.get("updated_at")),
        url=_link(raw, link_base, "incidents"),
        components=_component_names(raw),
        updates=_updates(as_list(raw.get("incident_updates"))),
    )


def _maintenance(raw: Mapping[str, Any], link_base: str) -> Maintenance:
    return Maintenance(
        id=as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("name")) or "Scheduled maintenance"),
        status=as_str(raw.get("status"), "scheduled"),
        starts_at=parse_datetime(raw.get("scheduled_for")),
        ends_at=parse_datetime(raw.get("scheduled_until")),
        url=_link(raw, link_base, "incidents"),
        components=_component_names(raw),
    )
