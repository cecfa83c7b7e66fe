"""What a page's signals mean for the user: the state of what they watch.

One rule for every page, filtered or not:
- the page's own overall indicator counts only when the user watches the whole page
  and the page has no location groups (it speaks for everything, places included);
- a watched component counts at its own severity, except a place (a data centre in
  a region group, see core.locations): places count as a share of their region —
  the region is in trouble when at least half of its places are (in maintenance when
  half are only that); a place named by an open incident counts in full;
- an open incident counts when it names a watched component, or names none (better
  one signal too many than a missed outage);
- a maintenance in progress counts when it touches a watched component that is not a
  place, or names none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from traywatch.core.locations import Places, find_places
from traywatch.core.model import Component, Incident, Maintenance, Severity, Snapshot, worst
from traywatch.core.summary import describe

_Item = TypeVar("_Item", Incident, Maintenance)

# At least this share of a region's places in trouble and the region itself is.
REGION_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Judgement:
    severity: Severity
    # What the state rests on, for its explanation: the components that count one by
    # one, and one entry per region in trouble ("Africa (18 of 33 data centres)").
    shown: tuple[Component, ...]
    note: str  # what was judged too small to count: "3 of 310 data centres affected"


def judge(
    components: tuple[Component, ...],
    incidents: tuple[Incident, ...],
    maintenances: tuple[Maintenance, ...],
    *,
    indicator: Severity | None = None,
    default: Severity = Severity.OPERATIONAL,
) -> Judgement:
    """The state of these (already watched) signals. Places are recognised among the
    watched components themselves: a data centre watched on its own counts in full."""
    places = find_places(components)
    active = [i for i in incidents if not i.resolved]
    named = {name for incident in active for name in incident.components}
    regions = _regions(components, places, named)
    in_regions = {c.name for region in regions for c in region.members}
    shown = [c for c in components if c.name not in in_regions]
    signals = [] if indicator is None or places else [indicator]
    signals += [c.severity for c in shown]
    signals += [i.severity for i in active]
    for maintenance in maintenances:
        if maintenance.active and (
            not maintenance.components or set(maintenance.components) - in_regions
        ):
            signals.append(Severity.MAINTENANCE)
    affected = resting = total = 0
    for region in regions:
        severity = region.severity
        if severity is None:
            affected, resting = affected + region.troubled, resting + region.resting
            total += len(region.members)
            continue
        signals.append(severity)
        count = region.troubled if severity > Severity.MAINTENANCE else region.touched
        name = f"{region.name} ({count} of {places.count(len(region.members))})"
        shown.append(Component(name=name, severity=severity, group=region.name))
    return Judgement(
        worst(signals, default=default), tuple(shown), _note(places, affected, resting, total)
    )


def noteworthy(maintenance: Maintenance, components: tuple[Component, ...]) -> bool:
    """Whether a maintenance counts for the state (and deserves a notification): it
    names no component, touches one that is not a place, or enough of a region."""
    touched = set(maintenance.components)
    if not touched:
        return True
    places = find_places(components)
    known = [c for c in components if c.name in touched]
    if not known or any(not places.holds(c) for c in known):
        return True
    regions = _regions(components, places)
    return any(
        region.severity is not None and touched & {c.name for c in region.members}
        for region in regions
    )


@dataclass(frozen=True, slots=True)
class _Region:
    name: str
    members: tuple[Component, ...]

    @property
    def troubled(self) -> int:
        return sum(1 for m in self.members if m.severity > Severity.MAINTENANCE)

    @property
    def resting(self) -> int:
        return sum(1 for m in self.members if m.severity is Severity.MAINTENANCE)

    @property
    def touched(self) -> int:
        return self.troubled + self.resting

    @property
    def severity(self) -> Severity | None:
        """The region's own state when enough of its places are in trouble."""
        if self.troubled >= REGION_SHARE * len(self.members):
            down = all(m.severity is Severity.MAJOR_OUTAGE for m in self.members)
            return Severity.MAJOR_OUTAGE if down else Severity.PARTIAL_OUTAGE
        if self.touched >= REGION_SHARE * len(self.members):
            return Severity.MAINTENANCE
        return None


def _regions(
    components: tuple[Component, ...], places: Places, apart: set[str] | None = None
) -> list[_Region]:
    """The places grouped by region, but for those in `apart` (named by an open
    incident: they count one by one)."""
    members: dict[str, list[Component]] = {}
    for component in components:
        if places.holds(component) and component.name not in (apart or ()):
            members.setdefault(component.group or "", []).append(component)
    return [_Region(name, tuple(found)) for name, found in members.items()]


def _note(places: Places, affected: int, resting: int, total: int) -> str:
    """ "3 of 310 data centres affected, 2 under maintenance"."""
    if affected and resting:
        return f"{affected} of {places.count(total)} affected, {resting} under maintenance"
    if affected:
        return f"{affected} of {places.count(total)} affected"
    if resting:
        return f"{resting} of {places.count(total)} under maintenance"
    return ""


def narrow(snapshot: Snapshot, watched: tuple[str, ...]) -> Snapshot:
    """Only the watched components (by name or group) and the incidents and
    maintenances that touch them (or name no component at all) count."""
    if not watched or not snapshot.ok:
        return snapshot
    wanted = frozenset(name.casefold() for name in watched)
    components = tuple(
        c
        for c in snapshot.components
        if c.name.casefold() in wanted or (c.group or "").casefold() in wanted
    )
    names = {c.name for c in components}
    incidents = _touching(snapshot.incidents, names)
    maintenances = _touching(snapshot.maintenances, names)
    verdict = judge(components, incidents, maintenances)
    return replace(
        snapshot,
        severity=verdict.severity,
        summary=describe(
            verdict.severity, verdict.shown, incidents, maintenances, note=verdict.note
        ),
        components=components,
        incidents=incidents,
        maintenances=maintenances,
    )


def _touching(items: Iterable[_Item], names: set[str]) -> tuple[_Item, ...]:
    return tuple(item for item in items if not item.components or set(item.components) & names)
