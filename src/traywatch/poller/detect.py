"""Finding out which format a status page speaks, by asking its known endpoints."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from traywatch.core.errors import HTTPStatusError, NotDetected, ParseError
from traywatch.core.text import without_credentials
from traywatch.poller.fetch import Fetched, fetch_snapshot
from traywatch.poller.http import Fetcher
from traywatch.providers import detection_order, refine
from traywatch.providers.base import NO_OPTIONS, Provider, ProviderOptions

log = logging.getLogger(__name__)


async def detect(
    fetcher: Fetcher, base_url: str, options: ProviderOptions = NO_OPTIONS
) -> tuple[Provider, Fetched]:
    """The first provider whose endpoint fetches and parses, and what it fetched.

    Transport failures (network, timeout, refused, reset, TLS) are raised as they are:
    they say nothing about the format. An HTTP error status or a body the provider
    cannot read counts as "not this one", and all of it is reported at the end."""
    tried: list[str] = []
    server_trouble: HTTPStatusError | None = None
    for provider in detection_order(base_url):
        for endpoint in provider.endpoints(base_url):
            try:
                fetched = await fetch_snapshot(fetcher, provider, endpoint, base_url, options)
            except (HTTPStatusError, ParseError) as exc:
                if isinstance(exc, HTTPStatusError) and (
                    exc.status_code >= 500 or exc.status_code == 429
                ):
                    server_trouble = server_trouble or exc
                tried.append(f"{urlsplit(endpoint).path} ({exc})")
                continue
            provider = refine(provider, fetched.snapshot)
            log.info("detected %s at %s", provider.kind, without_credentials(base_url))
            return provider, fetched
    if server_trouble is not None:
        # A page in trouble says nothing about its format: report the trouble itself.
        raise server_trouble
    raise NotDetected(
        f"no supported status API found at {without_credentials(base_url)}; tried "
        + ", ".join(tried)
    )
