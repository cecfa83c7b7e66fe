from __future__ import annotations

from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.poller.http import Fetcher
from traywatch.poller.scheduler import Poller


def make_poller(
    services: dict[str, str],
    *,
    kind: str | None = "statuspage",
    timeout: float = 2.0,
    concurrency: int = 8,
) -> Poller:
    config = Config(
        settings=Settings(timeout=timeout, concurrency=concurrency),
        services=tuple(ServiceConfig(name=n, url=u, kind=kind) for n, u in services.items()),
    )
    return Poller(config, Fetcher(timeout=timeout), min_interval=0.05)
