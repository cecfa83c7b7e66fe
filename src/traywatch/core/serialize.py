"""Snapshots to and from plain JSON-able dicts (the `check --json` shape and the store)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from traywatch.core.model import (
    Component,
    Incident,
    IncidentUpdate,
    Maintenance,
    Severity,
    Snapshot,
)
from traywatch.core.timeparse import isoformat, parse_datetime


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "severity": snapshot.severity.value,
        "summary": snapshot.summary,
        "error": snapshot.error,
        "fetched_at": isoformat(snapshot.fetched_at),
        "page_name": snapshot.page_name,
        "components": [
            {"name": c.name, "group": c.group, "severity": c.severity.value}
            for c in snapshot.components
        ],
        "incidents": [_incident_to_dict(i) for i in snapshot.incidents],
        "maintenances": [
            {
                "id": m.id,
                "title": m.title,
                "status": m.status,
                "starts_at": isoformat(m.starts_at),
                "ends_at": isoformat(m.ends_at),
                "url": m.url,
                "components": list(m.components),
            }
            for m in snapshot.maintenances
        ],
    }


def _incident_to_dict(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": incident.title,
        "severity": incident.severity.value,
        "status": incident.status,
        "started_at": isoformat(incident.started_at),
        "updated_at": isoformat(incident.updated_at),
        "url": incident.url,
        "components": list(incident.components),
        "updates": [
            {"at": isoformat(u.at), "status": u.status, "text": u.text} for u in incident.updates
        ],
    }


def snapshot_from_dict(data: Mapping[str, Any]) -> Snapshot:
    return Snapshot(
        severity=Severity(data["severity"]),
        summary=data["summary"],
        error=data.get("error"),
        fetched_at=parse_datetime(data.get("fetched_at")) or datetime.fromtimestamp(0, UTC),
        page_name=data.get("page_name"),
        components=tuple(
            Component(name=c["name"], group=c.get("group"), severity=Severity(c["severity"]))
            for c in data.get("components", [])
        ),
        incidents=tuple(
            Incident(
                id=i["id"],
                title=i["title"],
                severity=Severity(i["severity"]),
                status=i["status"],
                started_at=parse_datetime(i.get("started_at")),
                updated_at=parse_datetime(i.get("updated_at")),
                url=i.get("url"),
                components=tuple(i.get("components", [])),
                updates=tuple(
                    IncidentUpdate(
                        at=parse_datetime(u.get("at")), status=u["status"], text=u["text"]
                    )
                    for u in i.get("updates", [])
                ),
            )
            for i in data.get("incidents", [])
        ),
        maintenances=tuple(
            Maintenance(
                id=m["id"],
                title=m["title"],
                status=m["status"],
                starts_at=parse_datetime(m.get("starts_at")),
                ends_at=parse_datetime(m.get("ends_at")),
                url=m.get("url"),
                components=tuple(m.get("components", [])),
            )
            for m in data.get("maintenances", [])
        ),
    )
