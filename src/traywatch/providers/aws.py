"""AWS Health Dashboard: GET https://health.aws.amazon.com/public/currentevents.

An array of open events, `[]` when none, sent as UTF-16 with a byte-order mark.
`status` is a string "0"-"3" (the event's peak). A region filter is all but
mandatory: a region-wide event elsewhere can stay open for months. The region is
the 4th field of the event's ARN (empty for global events, which always count).

An event about several services has `service` "multipleservices-<region>" and
lists them in `impacted_services` ({"ec2-us-east-1": {"service_name", "current",
"max"}}): a services filter matches those, and such an event that lists none
(recorders have trimmed the list) concerns every service, like an incident that
names no component."""

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
)

WHAT = "an AWS Health event list"
ENDPOINT = "https://health.aws.amazon.com/public/currentevents"
MULTIPLE = "multipleservices"
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
            listed = impacted = _impacted(raw)
            if services:
                impacted = {
                    key: name
                    for key, name in listed.items()
                    if any(key.startswith(s) or name.lower() == s for s in services)
                }
                service = as_str(raw.get("service")).lower()
                names_none = service.startswith(MULTIPLE) and not listed
                if not (impacted or names_none or any(service.startswith(s) for s in services)):
                    continue
            incidents.append(_incident(raw, event_region, impacted))
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


def _impacted(raw: Mapping[str, Any]) -> dict[str, str]:
    """service id ("ec2-us-east-1") -> its name, for an event about several services."""
    listed = raw.get("impacted_services")
    if not isinstance(listed, Mapping):
        return {}
    return {
        str(key).lower(): as_str(value.get("service_name")) or str(key)
        for key, value in listed.items()
        if isinstance(value, Mapping)
    }


def _incident(raw: Mapping[str, Any], region: str, impacted: dict[str, str]) -> Incident:
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
        components=tuple(f"{name} ({where})" for name in impacted.values())
        or (f"{service_name} ({where})",),
        updates=updates,
    )
