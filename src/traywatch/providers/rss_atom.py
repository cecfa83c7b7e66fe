"""RSS 2.0 and Atom entries, read the same way (used by the feed and azure kinds)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from traywatch.core.errors import ParseError
from traywatch.core.text import plain_text
from traywatch.core.timeparse import parse_datetime
from traywatch.providers.base import load_xml

ATOM = "{http://www.w3.org/2005/Atom}"
# Statuspage history: "<strong>Resolved</strong> - …"; incident.io: "<b>Status: Resolved</b>".
_LABEL = re.compile(r"<(?:strong|b)>\s*(?:Status:\s*)?([A-Za-z ]{2,30}?)\s*</(?:strong|b)>")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    link: str | None
    updated: datetime | None
    html: str  # the entry's HTML content or summary, unescaped
    categories: tuple[str, ...] = ()  # lowercased RSS <category> / Atom category terms
    ends_at: datetime | None = None  # Statuspage RSS <maintenanceEndDate>: a maintenance

    @property
    def label(self) -> str | None:
        """The newest update's label ("Resolved", "Investigating"…), where the page gives one."""
        match = _LABEL.search(self.html)
        return match.group(1).strip().lower() if match else None

    @property
    def text(self) -> str:
        return plain_text(self.html)


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    generator: str
    entries: tuple[Entry, ...]


def parse_feed(body: bytes, what: str = "an RSS or Atom feed") -> Feed:
    root = load_xml(body, what)
    if root.tag == f"{ATOM}feed":
        return Feed(
            _text(root, f"{ATOM}title"),
            _text(root, f"{ATOM}generator"),
            tuple(_atom_entry(e) for e in root.findall(f"{ATOM}entry")),
        )
    if root.tag == "rss" and root.find("channel") is not None:
        channel = root.find("channel")
        return Feed(
            _text(channel, "title"),
            _text(channel, "generator"),
            tuple(_rss_item(i) for i in channel.findall("item")),
        )
    raise ParseError(f"not {what}: the document is <{_local(root.tag)}>, not a feed")


def _text(element: Any, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _atom_entry(element: Any) -> Entry:
    link = None
    for candidate in element.findall(f"{ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href")
            break
    html = _text(element, f"{ATOM}content") or _text(element, f"{ATOM}summary")
    return Entry(
        id=_text(element, f"{ATOM}id") or (link or ""),
        title=plain_text(_text(element, f"{ATOM}title")) or "Untitled",
        link=link,
        updated=parse_datetime(
            _text(element, f"{ATOM}updated") or _text(element, f"{ATOM}published")
        ),
        html=html,
        categories=tuple(
            (c.get("term") or "").strip().lower() for c in element.findall(f"{ATOM}category")
        ),
    )


def _rss_item(element: Any) -> Entry:
    link = _text(element, "link") or None
    return Entry(
        id=_text(element, "guid") or (link or _text(element, "title")),
        title=plain_text(_text(element, "title")) or "Untitled",
        link=link,
        updated=parse_datetime(_text(element, "pubDate")),
        html=_text(element, "description"),
        categories=tuple((c.text or "").strip().lower() for c in element.findall("category")),
        ends_at=parse_datetime(_text(element, "maintenanceEndDate")),
    )
