"""One provider's documents fetched and parsed: shared by polling and detection."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial

from traywatch.core.errors import FetchError, ParseError
from traywatch.core.model import Snapshot
from traywatch.poller.http import Fetcher, FetchResult
from traywatch.providers.base import Provider, ProviderOptions, as_utf8

log = logging.getLogger(__name__)

# Documents bigger than this are parsed in a worker thread: a few MB of JSON take tens of
# milliseconds, during which the event loop (and the UI on it) would stand still.
PARSE_OFF_LOOP_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    snapshot: Snapshot
    url: str  # where the main document came from, after redirects


async def fetch_snapshot(
    fetcher: Fetcher,
    provider: Provider,
    endpoint: str,
    base_url: str,
    options: ProviderOptions,
    *,
    last_good: Snapshot | None = None,
) -> Fetched:
    extra_urls = provider.extra_documents(base_url)
    # A 304 for the main document says nothing about the others: ask only when alone.
    conditional = last_good is not None and not extra_urls
    result = await fetcher.get(endpoint, conditional=conditional)
    now = datetime.now(UTC)
    if result.not_modified and last_good is not None:
        return Fetched(replace(last_good, fetched_at=now), result.url)
    body = as_utf8(result.body, result.content_type)
    extra: dict[str, bytes] = {}
    for url in extra_urls:
        try:
            extra[url] = _text(await fetcher.get(url))
        except FetchError:
            # A main document that is not this format says more than a missing second one.
            provider.parse(body, fetched_at=now, page_url=base_url, options=options)
            raise
    for url in provider.optional_documents(base_url):
        try:
            extra[url] = _text(await fetcher.get(url))
        except FetchError as exc:
            log.debug("optional %s skipped: %s", url, exc)
    parse = partial(provider.parse, body, fetched_at=now, page_url=base_url, options=options)
    try:
        if len(body) + sum(len(x) for x in extra.values()) > PARSE_OFF_LOOP_BYTES:
            snapshot = await asyncio.to_thread(parse, extra=extra)
        else:
            snapshot = parse(extra=extra)
    except ParseError:
        fetcher.forget_validators(endpoint)  # never answer a 304 for a body we could not read
        raise
    return Fetched(snapshot, result.url)


def _text(result: FetchResult) -> bytes:
    return as_utf8(result.body, result.content_type)
