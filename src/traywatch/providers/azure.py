"""Microsoft Azure's status feed: GET https://azure.status.microsoft/en-us/status/feed/.

RSS 2.0; healthy is a channel with no item. Item titles read "Service - Region";
any item (in the configured region, if one is set) means degraded. No severity,
components or maintenance signal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from traywatch.core.model import Component, Incident, IncidentUpdate, Severity, Snapshot
from traywatch.core.summary import describe
from traywatch.core.text import one_line
from traywatch.providers.base import NO_EXTRA, NO_OPTIONS, BaseProvider, ProviderOptions
from traywatch.providers.rss_atom import parse_feed

ENDPOINT = "https://azure.status.microsoft/en-us/status/feed/"


class AzureProvider(BaseProvider):
    kind = "azure"
    title = "Azure status feed"
    detect_by_response = False
    hosts = ("azure.status.microsoft", "status.azure.com")

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        if "/feed" in base_url:
            return (base_url,)
        return (ENDPOINT,) if self.recognises(base_url) else (base_url.rstrip("/") + "/feed/",)

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        feed = parse_feed(body, "an Azure status feed")
        region = (options.region or "").casefold()
        services = {p.casefold() for p in options.products}
        incidents = []
        for entry in feed.entries:
            service, _, where = entry.title.partition(" - ")
            if region and region not in where.casefold() and region not in entry.text.casefold():
                continue
            if services and service.strip().casefold() not in services:
                continue
            incidents.append(
                Incident(
                    id=entry.id,
                    title=one_line(entry.title),
                    severity=Severity.DEGRADED,
                    status="active",
                    started_at=entry.updated,
                    updated_at=entry.updated,
                    url=entry.link,
                    components=(service.strip(),) if service.strip() else (),
                    updates=(IncidentUpdate(at=entry.updated, status="active", text=entry.text),),
                )
            )
        components = tuple(
            Component(name=name, severity=Severity.DEGRADED)
            for name in sorted({c for i in incidents for c in i.components})
        )
        severity = Severity.DEGRADED if incidents else Severity.OPERATIONAL
        return Snapshot(
            severity=severity,
            summary=describe(severity, (), tuple(incidents), ()),  # titles name the service
            fetched_at=fetched_at,
            components=components,
            incidents=tuple(incidents),
            page_name="Azure status",
        )
