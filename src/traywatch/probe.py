"""Checking one page before it is saved: what kind it is, what it says, which
components it has (the settings window shows this before adding a service)."""

from __future__ import annotations

from dataclasses import dataclass

from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.model import Severity


@dataclass(frozen=True, slots=True)
class ProbeResult:
    kind: str | None
    page_name: str | None
    severity: Severity
    summary: str
    components: tuple[tuple[str | None, str], ...]  # (group, name)
    error: str | None

    @property
    def found(self) -> bool:
        return self.error is None and self.kind is not None


async def probe(service: ServiceConfig, settings: Settings | None = None) -> ProbeResult:
    """Poll `service` once; never raises: a failure is a result with an error."""
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    config = Config(settings=settings or Settings(), services=(service,))
    fetcher = Fetcher(timeout=config.settings.timeout)
    try:
        poller = Poller(config, fetcher)
        (state,) = await poller.poll_all()
    finally:
        await fetcher.aclose()
    snapshot = state.snapshot
    assert snapshot is not None
    return ProbeResult(
        kind=state.kind,
        page_name=snapshot.page_name,
        severity=snapshot.severity,
        summary=snapshot.summary,
        components=tuple((c.group, c.name) for c in snapshot.components),
        error=snapshot.error,
    )
