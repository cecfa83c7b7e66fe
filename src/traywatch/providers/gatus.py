"""Gatus (self-hosted): GET <host>/api/v1/endpoints/statuses?page=1&pageSize=1.

Each endpoint with its newest result (`success`); page 1 holds the newest. All
failing is a major outage, some failing a partial one. No maintenance signal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from traywatch.core.errors import ParseError
from traywatch.core.model import Component, Severity, Snapshot
from traywatch.core.summary import describe
from traywatch.core.text import one_line
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

WHAT = "a Gatus endpoint status list"


class GatusProvider(BaseProvider):
    kind = "gatus"
    title = "Gatus"

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        if "/api/v1/endpoints/statuses" in base_url:
            return (base_url,)
        return (join_url(base_url, "/api/v1/endpoints/statuses?page=1&pageSize=1"),)

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
        if not isinstance(data, list) or not all(
            isinstance(e, Mapping) and "results" in e for e in data
        ):
            raise ParseError(f"not {WHAT}: expected a list of endpoints with 'results'")
        components = []
        failing = []
        for endpoint in data:
            results = [r for r in as_list(endpoint.get("results")) if isinstance(r, Mapping)]
            name = as_str(endpoint.get("name"), "?")
            if not results:
                severity = Severity.UNKNOWN
            elif results[-1].get("success") is True:
                severity = Severity.OPERATIONAL
            else:
                severity = Severity.MAJOR_OUTAGE
                errors = [as_str(e) for e in as_list(results[-1].get("errors")) if as_str(e)]
                failing.append(f"{name}" + (f" ({', '.join(errors)})" if errors else ""))
            components.append(
                Component(
                    name=name,
                    severity=severity,
                    group=as_str(endpoint.get("group")) or None,
                    id=as_str(endpoint.get("key")) or None,
                )
            )
        known = [c for c in components if c.severity is not Severity.UNKNOWN]
        if not known:
            severity = Severity.UNKNOWN if components else Severity.OPERATIONAL
        elif len(failing) == len(known):
            severity = Severity.MAJOR_OUTAGE
        elif failing:
            severity = Severity.PARTIAL_OUTAGE
        else:
            severity = Severity.OPERATIONAL
        summary = (
            one_line("Failing: " + "; ".join(failing))
            if failing
            else describe(severity, tuple(components), (), ())
        )
        return Snapshot(
            severity=severity, summary=summary, fetched_at=fetched_at, components=tuple(components)
        )
