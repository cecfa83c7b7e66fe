"""The built-in catalog of real platforms' status pages (resources/catalog.json).

Built by tools/build_catalog.py from recorded sources (tools/catalog_sources); each
entry names its sources. Ids are stable: an entry renamed keeps its old ids as
aliases. Search ranks what the name says first ("git" finds GitHub and GitLab before
DigitalOcean), then how widely a platform is listed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from traywatch.config.schema import ServiceConfig


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    name: str
    category: str
    url: str
    kind: str
    components: tuple[str, ...]
    source: str
    aliases: tuple[str, ...] = ()
    popularity: int = 0  # how many recorded sources list it, weighted
    page: str = ""  # the page people know, when `url` is another address (an API's)

    def service(self) -> ServiceConfig:
        """The entry as a watched service, with the catalog's default components (a
        page that lists data centres by region is watched for its services)."""
        return ServiceConfig(
            name=self.name, url=self.url, kind=self.kind, components=self.components or None
        )

    @property
    def host(self) -> str:
        """Where its page is, as a person would recognise it ("githubstatus.com")."""
        return (urlsplit(self.page or self.url).hostname or "").removeprefix("www.")

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "url": self.url,
            "kind": self.kind,
            "components": list(self.components),
            "source": self.source,
            "aliases": list(self.aliases),
        }


@cache
def entries() -> tuple[CatalogEntry, ...]:
    text = (files("traywatch.resources") / "catalog.json").read_text(encoding="utf-8")
    return tuple(
        CatalogEntry(
            id=raw["id"],
            name=raw["name"],
            category=raw["category"],
            url=raw["url"],
            kind=raw["kind"],
            components=tuple(raw.get("components", ())),
            source=raw["source"],
            aliases=tuple(raw.get("aliases", ())),
            popularity=int(raw.get("popularity", 0)),
            page=raw.get("page", ""),
        )
        for raw in json.loads(text)["entries"]
    )


def find(entry_id: str) -> CatalogEntry | None:
    wanted = entry_id.strip().lower()
    return next((e for e in entries() if e.id == wanted or wanted in e.aliases), None)


_WORD = re.compile(r"[a-z0-9]+")


def _match(entry: CatalogEntry, word: str) -> int | None:
    """How well one searched word matches: lower is better, None is no match."""
    name = entry.name.casefold()
    if name.startswith(word):
        return 1
    if any(w.startswith(word) for w in _WORD.findall(name)):
        return 2
    if any(i.startswith(word) for i in (entry.id, *entry.aliases, entry.host)):
        return 3
    if word in name:
        return 4
    others = " ".join((entry.id, *entry.aliases, entry.url, entry.kind, entry.category))
    return 5 if word in others.casefold() else None


def _rank(entry: CatalogEntry, text: str, words: list[str]) -> tuple[int, ...] | None:
    if entry.name.casefold() == text:
        return (0,)
    matches = [_match(entry, word) for word in words]
    if any(m is None for m in matches):
        return None
    ranks = [m for m in matches if m is not None]
    return (max(ranks), sum(ranks))


def search(text: str = "", category: str = "") -> list[CatalogEntry]:
    """Entries matching every word, the best name match first, then the most widely
    listed, then by name."""
    text = " ".join(text.casefold().split())
    words = text.split()
    wanted_category = category.casefold()
    found: list[tuple[tuple[int, ...], int, str, CatalogEntry]] = []
    for entry in entries():
        if wanted_category and entry.category.casefold() != wanted_category:
            continue
        rank = _rank(entry, text, words) if words else ()
        if rank is not None:
            found.append((rank, -entry.popularity, entry.name.casefold(), entry))
    found.sort(key=lambda item: item[:3])
    return [entry for *_, entry in found]


def categories() -> list[str]:
    return sorted({e.category for e in entries()})


def page_of(url: str) -> str:
    """An address reduced to its page: host without www., and path."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + parts.path.rstrip("/")


def watched(services: Iterable[ServiceConfig]) -> set[str]:
    """Ids of the entries these services already watch (same page, or same name)."""
    pages = {page_of(s.url) for s in services} - {""}
    names = {s.name.casefold() for s in services}
    return {
        e.id
        for e in entries()
        if {page_of(e.url), page_of(e.page)} & pages or e.name.casefold() in names
    }
