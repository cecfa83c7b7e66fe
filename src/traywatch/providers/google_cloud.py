"""Google Cloud's status dashboard: GET https://status.cloud.google.com/incidents.json
(Google Workspace uses the same schema).

An array of incidents, open and closed; an open one has no `end` (the key is
missing, not null). `status_impact` is the worst an incident ever was: what it is
now is its most recent update's status, and one whose latest update says AVAILABLE
is over even before `end` is set. Filter by `affected_products` (ids or titles)
with the service's `products`, which also limits the products listed as
components. The file can be several MB."""

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
    join_url,
    load_json,
)

WHAT = "a Google Cloud incidents list"
IMPACT = {
    "SERVICE_INFORMATION": Severity.OPERATIONAL,
    "SERVICE_DISRUPTION": Severity.PARTIAL_OUTAGE,
    "SERVICE_OUTAGE": Severity.MAJOR_OUTAGE,
}
# The 2020 schema had no status_impact: its severity is the only signal.
LEGACY_SEVERITY = {
    "low": Severity.DEGRADED,
    "medium": Severity.PARTIAL_OUTAGE,
    "high": Severity.MAJOR_OUTAGE,
}


class GoogleCloudProvider(BaseProvider):
    kind = "google-cloud"
    title = "Google Cloud status dashboard"
    detect_by_response = False
    hosts = ("status.cloud.google.com",)

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        if base_url.rstrip("/").endswith(".json"):
            return (base_url,)
        return (join_url(base_url, "/incidents.json"),)

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        data = load_json(body, WHAT)
        if not isinstance(data, list):
            raise ParseError(f"not {WHAT}: expected a list of incidents")
        wanted = {p.casefold() for p in options.products}
        incidents: list[Incident] = []
        notices = []
        for raw in data:
            if not isinstance(raw, Mapping) or raw.get("end"):
                continue  # closed
            products = [p for p in as_list(raw.get("affected_products")) if isinstance(p, Mapping)]
            if wanted:
                products = [
                    p
                    for p in products
                    if any(as_str(p.get(key)).casefold() in wanted for key in ("id", "title"))
                ]
                if not products:
                    continue
            names = [as_str(p.get("title")) for p in products if as_str(p.get("title"))]
            latest = _latest_update(raw)
            if as_str(latest.get("status")).upper() == "AVAILABLE":
                continue  # recovered: over, whether or not `end` is set yet
            incident = _incident(raw, latest, names, page_url)
            if incident.severity is Severity.OPERATIONAL:
                notices.append(incident.title)
            incidents.append(incident)
        components = components_from_incidents(incidents)
        severity = worst((i.severity for i in incidents), default=Severity.OPERATIONAL)
        return Snapshot(
            severity=severity,
            summary=describe(severity, components, tuple(incidents), ()),
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(incidents),
            page_name="Google Cloud",
            extra={"notices": notices} if notices else {},
        )


def _latest_update(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    latest = raw.get("most_recent_update") or raw.get("most-recent-update")
    if isinstance(latest, Mapping):
        return latest
    updates = [u for u in as_list(raw.get("updates")) if isinstance(u, Mapping)]
    return max(updates, key=lambda u: as_str(u.get("when")), default={})


def _incident(
    raw: Mapping[str, Any], latest: Mapping[str, Any], products: list[str], page_url: str
) -> Incident:
    status = as_str(latest.get("status")).upper()
    impact = as_str(raw.get("status_impact"))
    if status in IMPACT:  # what it is now, not the worst it ever was
        severity = IMPACT[status]
    elif impact:
        severity = IMPACT.get(impact, Severity.UNKNOWN)
    else:
        severity = LEGACY_SEVERITY.get(as_str(raw.get("severity")), Severity.UNKNOWN)
    status = status.lower() or "open"
    updates = sorted(
        (
            IncidentUpdate(
                at=parse_datetime(u.get("when") or u.get("created")),
                status=as_str(u.get("status")).lower() or "update",
                text=plain_text(u.get("text")),
            )
            for u in as_list(raw.get("updates"))
            if isinstance(u, Mapping)
        ),
        key=lambda u: u.at.timestamp() if u.at else 0.0,
        reverse=True,
    )
    uri = as_str(raw.get("uri"))
    base = page_url if page_url.startswith("http") else "https://status.cloud.google.com"
    return Incident(
        id=as_str(raw.get("id")),
        title=one_line(plain_text(raw.get("external_desc")) or "Google Cloud incident"),
        severity=severity,
        status=status.replace("service_", ""),
        started_at=parse_datetime(raw.get("begin") or raw.get("created")),
        updated_at=parse_datetime(raw.get("modified")),
        url=join_url(base.replace("/incidents.json", ""), uri) if uri else None,
        components=tuple(products),
        updates=tuple(updates),
    )
