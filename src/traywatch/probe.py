"""Checking one page before it is saved: what kind it is, what it says, which
components it has (the settings window shows this before adding a service).

An address that serves a web page instead of a status API is read for the API it
publishes — a Statuspage page names its own address and feeds, a status.io page its
page id, a company's site links to its status page — and the first of those that
answers is offered instead, with what was found there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.errors import NotDetected
from traywatch.core.model import Component, Severity

if TYPE_CHECKING:
    from traywatch.poller.http import Fetcher

MAX_SUGGESTIONS = 4  # pages tried in turn when an address turns out to be a web page


@dataclass(frozen=True, slots=True)
class ApiLink:
    """A status API a web page points to."""

    url: str
    kind: str | None  # None: found out by detection
    why: str  # how the page says so, for the user


@dataclass(frozen=True, slots=True)
class ProbeResult:
    url: str  # the address to watch (the API a web page pointed to, when it did)
    kind: str | None
    page_name: str | None
    severity: Severity
    summary: str
    components: tuple[Component, ...]
    incidents: int  # open now
    maintenances: int  # in progress or announced
    error: str | None
    details: str = ""  # the long story behind `error` (what was tried)
    found_via: ApiLink | None = None  # the web page typed pointed to this API

    @property
    def found(self) -> bool:
        return self.error is None and self.kind is not None


async def probe(service: ServiceConfig, settings: Settings | None = None) -> ProbeResult:
    """Poll `service` once; never raises: a failure is a result with an error."""
    from traywatch.poller.http import Fetcher

    settings = settings or Settings()
    fetcher = Fetcher(timeout=settings.timeout)
    try:
        result, error = await _poll(fetcher, service, settings)
        if not isinstance(error, NotDetected):
            return result
        page = await _web_page(fetcher, service.url)
        links = [] if page is None else api_links(page, service.url)
        for link in links[:MAX_SUGGESTIONS]:
            found, _ = await _poll(
                fetcher, replace(service, url=link.url, kind=link.kind), settings
            )
            if found.found:
                return replace(found, found_via=link)
        reason = (
            "this address serves a web page, not a status API, and the page names none "
            "that traywatch can read"
            if page is not None
            else "no status API that traywatch can read answers at this address"
        )
        return replace(result, error=reason, details=str(error))
    finally:
        await fetcher.aclose()


async def _poll(
    fetcher: Fetcher, service: ServiceConfig, settings: Settings
) -> tuple[ProbeResult, Exception | None]:
    from traywatch.poller.scheduler import Poller

    poller = Poller(Config(settings=settings, services=(service,)), fetcher)
    (state,) = await poller.poll_all()
    snapshot = state.snapshot
    assert snapshot is not None
    result = ProbeResult(
        url=service.url,
        kind=state.kind,
        page_name=snapshot.page_name,
        severity=snapshot.severity,
        summary=snapshot.summary,
        components=snapshot.components,
        incidents=len(snapshot.active_incidents),
        maintenances=len(snapshot.maintenances),
        error=snapshot.error,
    )
    return result, state.last_error


async def _web_page(fetcher: Fetcher, url: str) -> str | None:
    """The text of the page at `url` when it is HTML."""
    from traywatch.core.errors import FetchError

    try:
        fetched = await fetcher.get(url)
    except FetchError:
        return None
    text = fetched.body.decode("utf-8", "replace")
    return text if _looks_like_html(text) else None


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1024].lower()
    return head.startswith(("<!doctype html", "<html")) or "<head" in head


# -- reading a web page for the status API it publishes ----------------------------------

_STATUSPAGE_HOST = re.compile(r"\b([a-z0-9]{8,16})\.statuspage\.io\b")
_STATUSIO_ID = re.compile(
    r"(?:statuspage_?id[\"'\s:=]+|api\.status\.io/1\.0/status/)([0-9a-f]{24})\b", re.IGNORECASE
)
_STATUS_WORDS = ("status", "system status", "service status")
_FEED_TYPES = ("application/atom+xml", "application/rss+xml")


class _PageLinks(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.canonical: str | None = None
        self.feeds: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self.urls: list[str] = []  # every address named in an attribute
        self._anchor: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        for key in ("href", "src", "content"):
            if named.get(key):
                self.urls.append(named[key])
        rel = named.get("rel", "").lower().split()
        if tag == "base" and named.get("href"):
            self.base = urljoin(self.base, named["href"])
        elif tag == "link" and "canonical" in rel and named.get("href"):
            self.canonical = self.canonical or urljoin(self.base, named["href"])
        elif tag == "link" and "alternate" in rel and named.get("type", "").lower() in _FEED_TYPES:
            self.feeds.append(urljoin(self.base, named.get("href", "")))
        elif tag == "a" and named.get("href"):
            self._anchor, self._href = [], urljoin(self.base, named["href"])

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._anchor.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            self.anchors.append((self._href, " ".join("".join(self._anchor).split())))
            self._anchor = None


def api_links(html: str, page_url: str) -> list[ApiLink]:
    """The status APIs a web page points to, the likeliest first. Pure: the page's
    text in, addresses out (nothing is fetched)."""
    reader = _PageLinks(page_url)
    reader.feed(html)
    reader.close()
    found: list[ApiLink] = []
    here = _root(page_url)

    # Statuspage pages load their assets "?host=<id>.statuspage.io" and publish their
    # history feed there; the canonical link names the custom domain, if there is one.
    page_ids = _STATUSPAGE_HOST.findall(" ".join(reader.urls).lower())
    if page_ids:
        if reader.canonical:
            canonical = _root(reader.canonical)
            found.append(ApiLink(canonical, "statuspage", "its own address (a Statuspage page)"))
        found.append(
            ApiLink(f"https://{page_ids[0]}.statuspage.io", "statuspage", "its Statuspage address")
        )
    # status.io pages name their page id in a script.
    statusio = _STATUSIO_ID.search(html)
    if statusio:
        found.append(
            ApiLink(
                f"https://api.status.io/1.0/status/{statusio.group(1).lower()}",
                "statusio",
                "its status.io page id",
            )
        )
    for feed in reader.feeds:
        path = urlsplit(feed).path
        if path.endswith(("/history.atom", "/history.rss")):  # Statuspage's feeds
            found.append(ApiLink(_root(feed), "statuspage", "the page of its history feed"))
        elif path.endswith(("/feed.atom", "/feed.rss")):  # incident.io's
            found.append(ApiLink(_root(feed), None, "the page of its feed"))
        found.append(ApiLink(feed, "feed", "its RSS/Atom feed"))
    # A site that links to its status page: "Status", status.example.com.
    for href, text in reader.anchors:
        parts = urlsplit(href)
        host = (parts.hostname or "").lower()
        says_status = (
            "status" in host.removeprefix("www.").split(".")[0] or text.casefold() in _STATUS_WORDS
        )
        if parts.scheme in ("http", "https") and host and _root(href) != here and says_status:
            found.append(ApiLink(_root(href), None, f"its link to {host}"))
    return _unique(link for link in found if link.url.rstrip("/") != page_url.rstrip("/"))


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _unique(links: Iterable[ApiLink]) -> list[ApiLink]:
    seen: set[tuple[str, str | None]] = set()
    unique: list[ApiLink] = []
    for link in links:
        key = (link.url.rstrip("/"), link.kind)
        if key not in seen:
            seen.add(key)
            unique.append(link)
    return unique
