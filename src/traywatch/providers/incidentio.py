"""Pages hosted by incident.io (OpenAI's among them).

They answer the Statuspage v2 paths (ULID ids, nulls for empty lists, a flat
component list), so the Statuspage parser reads them. The page's own, richer
JSON (`/proxy/<host>`, what its web page uses) adds the component groups when it
answers; it is undocumented, so the poll does not depend on it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.model import Snapshot
from traywatch.providers.base import (
    NO_EXTRA,
    NO_OPTIONS,
    ProviderOptions,
    as_list,
    as_str,
    join_url,
)
from traywatch.providers.statuspage import StatuspageProvider


class IncidentioProvider(StatuspageProvider):
    kind = "incidentio"
    title = "incident.io status page"
    detect_by_response = False

    def optional_documents(self, base_url: str) -> tuple[str, ...]:
        host = urlsplit(base_url).hostname or ""
        return (join_url(base_url, f"/proxy/{host}"),) if host else ()

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        snapshot = super().parse(body, fetched_at=fetched_at, page_url=page_url)
        groups: dict[str, str] = {}
        for proxy_body in extra.values():
            groups.update(component_groups(proxy_body))
        if not groups:
            return snapshot
        components = tuple(
            replace(c, group=groups.get(c.id or "", c.group)) for c in snapshot.components
        )
        return replace(snapshot, components=components)


def component_groups(body: bytes) -> dict[str, str]:
    """component id -> group name, from the proxy document; {} when unreadable."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    summary = data.get("summary") if isinstance(data, Mapping) else None
    structure = summary.get("structure") if isinstance(summary, Mapping) else None
    items = structure.get("items") if isinstance(structure, Mapping) else None
    groups: dict[str, str] = {}
    for item in as_list(items):
        group = item.get("group") if isinstance(item, Mapping) else None
        if not isinstance(group, Mapping):
            continue
        name = as_str(group.get("name"))
        for component in as_list(group.get("components")):
            if isinstance(component, Mapping) and name:
                groups[as_str(component.get("component_id"))] = name
    return groups
