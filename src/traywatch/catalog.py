"""The built-in catalog of real platforms' status pages (resources/catalog.json).

Built by tools/build_catalog.py from the project's research data; each entry
names its source. Ids are stable: an entry renamed keeps its old ids as aliases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

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

    def service(self) -> ServiceConfig:
        """The entry as a watched service, with the catalog's default components (a
        page that lists data centres by region is watched for its services)."""
        return ServiceConfig(
            name=self.name, url=self.url, kind=self.kind, components=self.components or None
        )

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
        )
        for raw in json.loads(text)["entries"]
    )


def find(entry_id: str) -> CatalogEntry | None:
    wanted = entry_id.strip().lower()
    return next((e for e in entries() if e.id == wanted or wanted in e.aliases), None)


def search(text: str = "", category: str = "") -> list[CatalogEntry]:
    words = text.casefold().split()
    wanted_category = category.casefold()
    found = []
    for entry in entries():
        if wanted_category and entry.category.casefold() != wanted_category:
            continue
        haystack = " ".join(
            (entry.id, entry.name, entry.url, entry.kind, *entry.aliases)
        ).casefold()
        if all(word in haystack for word in words):
            found.append(entry)
    return found


def categories() -> list[str]:
    return sorted({e.category for e in entries()})
