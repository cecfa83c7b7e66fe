"""Pages whose component groups are places: Cloudflare lists ~330 data centres under
"Africa", "Asia", "Europe"…, next to the services a developer actually uses.

Such a page is never all green (some data centre is always re-routed or under
maintenance), and its own web page says so by relabelling those components and
still showing "All Systems Operational". This module recognises the shape from the
component names alone, for any page, so that a place is judged as a share of its
region rather than as an outage of the whole service."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from traywatch.core.model import Component

# "Amsterdam, Netherlands - (AMS)", "Hong Kong - (HKG)": an airport code, as CDNs name
# PoPs (and not a product's initials: "Data Loss Prevention (DLP)").
_AIRPORT = re.compile(r"\s-\s\(([A-Z]{3})\)\s*$")
# Cloud regions and data-centre codes: "us-east-1", "europe-west4", "NYC3", "FRA1".
_REGION_CODE = re.compile(r"^(?:[a-z]{2,}(?:-[a-z]+)+-?\d{1,2}|[A-Z]{3}\d{1,2})$")
_WORLD_REGIONS = frozenset(
    name.casefold()
    for name in (
        "Africa",
        "Asia",
        "Asia Pacific",
        "APAC",
        "Europe",
        "EMEA",
        "Middle East",
        "North America",
        "South America",
        "Latin America",
        "Latin America & the Caribbean",
        "Oceania",
        "Australia",
    )
)
# A group is places when nearly all its children look like places (a few odd names
# such as "Hong Kong" aside), or when it is named after a part of the world.
_SHARE_OF_PLACES = 0.8
_MIN_CHILDREN = 3


@dataclass(frozen=True, slots=True)
class Places:
    """The location groups of one page and what their members are called."""

    groups: frozenset[str]
    noun: str  # "data centre", "region" or "location"

    def __bool__(self) -> bool:
        return bool(self.groups)

    def holds(self, component: Component) -> bool:
        return component.group is not None and component.group in self.groups

    def count(self, number: int) -> str:
        """ "1 data centre", "12 data centres"."""
        return f"{number} {self.noun}{'' if number == 1 else 's'}"


NO_PLACES = Places(frozenset(), "location")


def looks_like_place(name: str) -> bool:
    return bool(_AIRPORT.search(name) or _REGION_CODE.match(name.strip()))


def short_name(name: str) -> str:
    """ "Amsterdam, Netherlands - (AMS)" -> "AMS"; other names unchanged."""
    match = _AIRPORT.search(name)
    return match.group(1) if match else name


def find_places(components: Iterable[Component]) -> Places:
    children: dict[str, list[str]] = {}
    for component in components:
        if component.group is not None:
            children.setdefault(component.group, []).append(component.name)
    groups = []
    airports = 0
    for group, names in children.items():
        places = sum(1 for name in names if looks_like_place(name))
        named_after_region = group.casefold() in _WORLD_REGIONS and len(names) >= _MIN_CHILDREN
        if named_after_region or (
            len(names) >= _MIN_CHILDREN and places >= _SHARE_OF_PLACES * len(names)
        ):
            groups.append(group)
            airports += sum(1 for name in names if _AIRPORT.search(name))
    if not groups:
        return NO_PLACES
    total = sum(len(children[g]) for g in groups)
    if airports * 2 >= total:
        noun = "data centre"
    elif all(_REGION_CODE.match(n.strip()) for g in groups for n in children[g]):
        noun = "region"
    else:
        noun = "location"
    return Places(frozenset(groups), noun)
