from __future__ import annotations

import asyncio
from collections.abc import Callable

from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.model import Snapshot
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


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait (on the running loop) until `condition()` is true."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def poll_once(url: str, kind: str) -> Snapshot:
    """One poll of one service at `url`, through the real poller and HTTP client."""
    poller = make_poller({"Service": url}, kind=kind)
    try:
        return await poller.poll(poller.states["Service"])
    finally:
        await poller.fetcher.aclose()
