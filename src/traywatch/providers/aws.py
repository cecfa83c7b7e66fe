"""AWS Health Dashboard: GET https://health.aws.amazon.com/public/currentevents.

An array of open events, `[]` when none, sent as UTF-16 with a byte-order mark.
`status` is a string "0"-"3" (the event's peak). A region filter is all but
mandatory: a region-wide event elsewhere can stay open for months. The region is
the 4th field of the event's ARN (empty for global events, which always count)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from traywatch.core.errors import ParseError
from traywatch.core.model import Incident, IncidentUpdate, Severity, Snapshot, worst
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
)
from traywatch.providers.summary import components_from_incidents, describe

WHAT = "an AWS Health event list"
ENDPOINT = "https://health.aws.amazon.com/public/currentevents"
STATUS = {
    "0": Severity.OPERATIONAL,  # resolved
    "1": Severity.OPERATIONAL,  # informational
    "2": Severity.DEGRADED,
    "3": Severity.MAJOR_OUTAGE,
}


class AwsProvider(BaseProvider):
    kind = "aws"
    title = "AWS Health Dashboard"
    detect_by_response = False
    hosts = ("health.aws.amazon.com", "status.aws.amazon.com")

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        if "currentevents" in base_url:
            return (base_url,)
        if self.recognises(base_url):
            return (ENDPOINT,)
        return (base_url.rstrip("/") + "/public/currentevents",)

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
            raise ParseError(f"not {WHAT}: expected a list of events")
        region = (options.region or "").lower()
        services = {p.lower() for p in options.products}
        incidents = []
        for raw in data:
            if not isinstance(raw, Mapping):
                continue
            event_region = _region(raw)
            if region and event_region not in ("", region):
                continue
            service = as_str(raw.get("service")).lower()
            if services and not any(service.startswith(s) for s in services):
                continue
            incidents.append(_incident(raw, event_region))
        open_incidents = [i for i in incidents if not i.resolved]
        components = components_from_incidents(open_incidents)
        severity = worst((i.severity for i in open_incidents), default=Severity.OPERATIONAL)
        return Snapshot(
            severity=severity,
            summary=describe(severity, (), tuple(open_incidents), ()),  # titles name the service
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(open_incidents),
            page_name="AWS Health Dashboard" + (f" ({options.region})" if region else ""),
        )


def _region(raw: Mapping[str, Any]) -> str:
    parts = as_str(raw.get("arn")).split(":")
    return parts[3].lower() if len(parts) > 3 else ""


def _incident(raw: Mapping[str, Any], region: str) -> Incident:
    status = as_str(raw.get("status"))
    resolved = status == "0" or bool(raw.get("end_time"))
    log = sorted(
        (e for e in as_list(raw.get("event_log")) if isinstance(e, Mapping)),
        key=lambda e: float(e.get("timestamp") or 0),
        reverse=True,
    )
    updates = tuple(
        IncidentUpdate(
            at=parse_datetime(e.get("timestamp")),
            status=as_str(e.get("status"), "update"),
            text=plain_text(e.get("message")),
        )
        for e in log
    )
    service_name = as_str(raw.get("service_name")) or as_str(raw.get("service")) or "AWS"
    where = as_str(raw.get("region_name")) or region.upper() or "global"
    return Incident(
        id=as_str(raw.get("arn")) or as_str(raw.get("service")) + as_str(raw.get("date")),
        title=one_line(f"{service_name} ({where}): {as_str(raw.get('summary'), 'event')}"),
        severity=STATUS.get(status, Severity.UNKNOWN),
        status="resolved" if resolved else ("informational" if status == "1" else "open"),
        started_at=parse_datetime(raw.get("date")),
        updated_at=updates[0].at if updates else parse_datetime(raw.get("date")),
        url="https://health.aws.amazon.com/health/status",
        components=(f"{service_name} ({where})",),
        updates=updates,
    )
