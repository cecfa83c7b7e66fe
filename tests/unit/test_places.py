"""Pages that list places (Cloudflare's data centres by region): judged as a person
reading the page would, on real recorded summaries."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tests.conftest import fixture_bytes
from traywatch.core.focus import judge, narrow, noteworthy
from traywatch.core.locations import find_places, short_name
from traywatch.core.model import Component, Incident, Maintenance, Severity, Snapshot
from traywatch.providers.statuspage import parse_summary

NOW = datetime(2026, 8, 22, 12, 0, tzinfo=UTC)
EVERYDAY = "statuspage/cloudflarestatus-summary-minor-groups-maintenance.json"


def page(fixture: str, edit: Callable[[dict[str, Any]], None] | None = None) -> Snapshot:
    data = json.loads(fixture_bytes(fixture))
    if edit is not None:
        edit(data)
    return parse_summary(data, fetched_at=NOW, page_url="https://www.cloudflarestatus.com")


def test_cloudflares_regions_are_recognised_as_data_centres() -> None:
    snapshot = page(EVERYDAY)
    places = find_places(snapshot.components)
    assert places.groups == {
        "Africa",
        "Asia",
        "Europe",
        "Latin America & the Caribbean",
        "Middle East",
        "North America",
        "Oceania",
    }
    assert places.noun == "data centre"
    assert places.count(1) == "1 data centre"
    assert short_name("Amsterdam, Netherlands - (AMS)") == "AMS"
    assert short_name("Workers") == "Workers"
    assert short_name("Data Loss Prevention (DLP)") == "Data Loss Prevention (DLP)"


def test_product_pages_have_no_places() -> None:
    github = page("statuspage/githubstatus-summary-major-outage.json")
    assert not find_places(github.components)
    regions = tuple(
        Component(name, Severity.OPERATIONAL, group="Compute regions")
        for name in ("us-east-1", "eu-west-2", "ap-southeast-1", "NYC3")
    )
    assert find_places(regions).noun == "region"
    # two odd names are not a shape
    assert not find_places((Component("Paris", Severity.OPERATIONAL, group="EU"),))


def test_an_everyday_cloudflare_page_is_operational_and_says_what_it_left_out() -> None:
    snapshot = page(EVERYDAY)
    # its JSON says minor, but 26 of 340 re-routed data centres is what the page itself
    # shows as "All Systems Operational"
    assert json.loads(fixture_bytes(EVERYDAY))["status"]["indicator"] == "minor"
    assert snapshot.severity is Severity.OPERATIONAL
    assert snapshot.summary == "Operational (26 of 340 data centres affected, 18 under maintenance)"


def test_a_region_with_half_its_data_centres_down_is_an_outage() -> None:
    def europe_half_down(data: dict[str, Any]) -> None:
        groups = {c["id"]: c["name"] for c in data["components"] if c.get("group")}
        europe = [c for c in data["components"] if groups.get(c.get("group_id")) == "Europe"]
        for component in europe[: len(europe) // 2]:
            component["status"] = "partial_outage"

    snapshot = page(EVERYDAY, europe_half_down)
    assert snapshot.severity is Severity.PARTIAL_OUTAGE
    assert snapshot.summary.startswith("Europe (")
    assert "of 58 data centres)" in snapshot.summary
    # and watching only the services, the same page is fine
    assert narrow(snapshot, ("Cloudflare Sites and Services",)).severity is Severity.OPERATIONAL


def test_a_data_centre_watched_on_its_own_counts_in_full() -> None:
    snapshot = page(EVERYDAY)
    rerouted = next(
        c for c in snapshot.components if c.group == "Europe" and c.severity > Severity.MAINTENANCE
    )
    alone = narrow(snapshot, (rerouted.name,))
    assert alone.severity is Severity.PARTIAL_OUTAGE
    assert alone.summary == short_name(rerouted.name)


def test_an_incident_naming_data_centres_counts_them_in_full() -> None:
    members = tuple(
        Component(f"City {i}, Country - ({chr(65 + i) * 3})", Severity.OPERATIONAL, group="Asia")
        for i in range(10)
    )
    rerouted = replace(members[0], severity=Severity.PARTIAL_OUTAGE)
    quiet = judge((rerouted, *members[1:]), (), ())
    assert quiet.severity is Severity.OPERATIONAL
    assert quiet.note == "1 of 10 data centres affected"
    incident = Incident(
        "i1",
        "Network issues in C00",
        Severity.DEGRADED,
        "investigating",
        components=(rerouted.name,),
    )
    told = judge((rerouted, *members[1:]), (incident,), ())
    assert told.severity is Severity.PARTIAL_OUTAGE
    assert told.shown[0] is rerouted


def test_maintenance_of_one_data_centre_is_not_the_services_state_nor_news() -> None:
    snapshot = page(EVERYDAY)
    running = next(m for m in snapshot.maintenances if m.active)
    assert running.components == ("Astana, Kazakhstan - (NQZ)",)
    assert not noteworthy(running, snapshot.components)
    everywhere = Maintenance("m", "Dashboard upgrade", "in_progress")
    assert noteworthy(everywhere, snapshot.components)  # names nothing: the whole page
    dashboard = replace(everywhere, components=("Dashboard",))
    assert noteworthy(dashboard, snapshot.components)
    assert judge(snapshot.components, (), (dashboard,)).severity is Severity.MAINTENANCE
