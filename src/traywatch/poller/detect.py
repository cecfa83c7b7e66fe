"""Finding out which format a status page speaks, by asking its known endpoints."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from traywatch.core.errors import HTTPStatusError, NotDetected, ParseError
from traywatch.core.model import Snapshot
from traywatch.core.text import without_credentials
from traywatch.poller.http import Fetcher
from traywatch.providers import detection_order
from traywatch.providers.base import Provider

log = logging.getLogger(__name__)


async def detect(fetcher: Fetcher, base_url: str) -> tuple[Provider, Snapshot, str]:
    """The first provider whose endpoint fetches and parses, its snapshot and the final URL.

    Transport failures (network, timeout, refused, reset, TLS) are raised as they are:
    they say nothing about the format. An HTTP error status or a body the provider
    cannot read counts as "not this one", and all of it is reported at the end."""
    tried: list[str] = []
    server_trouble: HTTPStatusError | None = None
    for provider in detection_order(base_url):
        for endpoint in provider.endpoints(base_url):
            try:
                result = await fetcher.get(endpoint)
                snapshot = provider.parse(
                    result.body, fetched_at=datetime.now(UTC), page_url=base_url
                )
            except (HTTPStatusError, ParseError) as exc:
                if isinstance(exc, HTTPStatusError) and (
                    exc.status_code >= 500 or exc.status_code == 429
                ):
                    server_trouble = server_trouble or exc
                tried.append(f"{urlsplit(endpoint).path} ({exc})")
                continue
            log.info("detected %s at %s", provider.kind, base_url)
            return provider, snapshot, result.url
    if server_trouble is not None:
        # A page in trouble says nothing about its format: report the trouble itself.
        raise server_trouble
    raise NotDetected(
        f"no supported status API found at {without_credentials(base_url)}; tried "
        + ", ".join(tried)
    )
