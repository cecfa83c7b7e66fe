from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, fixture_bytes
from traywatch.core.errors import ParseError
from traywatch.core.model import Severity, Snapshot
from traywatch.providers.statuspage import StatuspageProvider

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
provider = StatuspageProvider()

# Expected severity of every recorded Statuspage document, with the reason.
EXPECTED = {
    "githubstatus-summary-all-operational.json": Severity.OPERATIONAL,
    # indicator minor, one component partial_outage: the component refines upwards
    "githubstatus-summary-minor-partial-outage-investigating.json": Severity.PARTIAL_OUTAGE,
    "githubstatus-summary-minor-degraded-performance.json": Severity.DEGRADED,
    "githubstatus-summary-major-outage.json": Severity.MAJOR_OUTAGE,
    "githubstatus-summary-major-critical-impact-mixed-components.json": Severity.MAJOR_OUTAGE,
    "githubstatus-summary-maintenance-in-progress.json": Severity.MAINTENANCE,
    "githubstatus-summary-scheduled-maintenance-upcoming.json": Severity.OPERATIONAL,
    # indicator says maintenance, but a minor incident is open: the worse signal wins
    "githubstatus-summary-maintenance-plus-incident.json": Severity.DEGRADED,
    # indicator says none while a minor incident is investigating
    "githubstatus-summary-indicator-none-with-open-incident.json": Severity.DEGRADED,
    "githubstatus-summary-incident-monitoring.json": Severity.DEGRADED,
    "githubstatus-summary-two-incidents-investigating-and-monitoring.json": Severity.PARTIAL_OUTAGE,
    "githubstatus-status-none.json": Severity.OPERATIONAL,
    "githubstatus-status-minor.json": Severity.DEGRADED,
    "githubstatus-status-minor-partially-degraded.json": Severity.DEGRADED,
    "githubstatus-status-major.json": Severity.PARTIAL_OUTAGE,
    "githubstatus-status-maintenance.json": Severity.MAINTENANCE,
    # re-routed data centres in partial_outage, no incident: Cloudflare's everyday state
    # 26 of 340 data centres re-routed, no incident: what Cloudflare's own page shows
    # as "All Systems Operational" (its JSON indicator says minor).
    "cloudflarestatus-summary-minor-groups-maintenance.json": Severity.OPERATIONAL,
    "cloudflarestatus-summary-major-incident-groups.json": Severity.MAJOR_OUTAGE,
    # incidents.json lists: all resolved, or none open
    "githubstatus-incidents-two-resolved-from-test.json": Severity.OPERATIONAL,
    "githubstatus-incidents-unresolved-empty.json": Severity.OPERATIONAL,
    # incident.io's Statuspage-compatible endpoints (OpenAI)
    "openai-compat-components.json": Severity.OPERATIONAL,
    "openai-compat-incidents-trimmed.json": Severity.OPERATIONAL,
}


def parse(name: str) -> Snapshot:
    return provider.parse(
        fixture_bytes(f"statuspage/{name}"), fetched_at=NOW, page_url="https://example.test"
    )


def test_every_recorded_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in (FIXTURES / "statuspage").glob("*.json")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_fixture_severity(name: str, expected: Severity) -> None:
    snapshot = parse(name)
    assert snapshot.severity is expected
    assert snapshot.error is None
    assert snapshot.summary


def test_endpoint_is_summary_json() -> None:
    assert provider.endpoints("https://www.githubstatus.com/") == (
        "https://www.githubstatus.com/api/v2/summary.json",
    )


def test_major_outage_incident_details() -> None:
    snapshot = parse("githubstatus-summary-major-outage.json")
    (incident,) = snapshot.incidents
    assert incident.id == "bjyfg0yz1lwj"
    assert incident.title == "Incident with Codespaces"
    assert incident.severity is Severity.PARTIAL_OUTAGE  # impact "major"
    assert incident.status == "investigating"
    assert incident.started_at == datetime(2026, 4, 16, 15, 6, 56, 487000, tzinfo=UTC)
    assert incident.url == "https://stspg.io/1pw46p8cqh5s"
    assert incident.components == ("Codespaces",)
    assert len(incident.updates) == 5
    times = [u.at for u in incident.updates]
    assert times == sorted(times, reverse=True)  # newest first, as published
    assert incident.updates[0].text.startswith("Our provider is implementing a mitigation")
    codespaces = next(c for c in snapshot.components if c.name == "Codespaces")
    assert codespaces.severity is Severity.MAJOR_OUTAGE
    assert snapshot.summary == "Codespaces (incident: Incident with Codespaces)"
    assert snapshot.page_name == "GitHub"


def test_placeholder_component_is_skipped() -> None:
    names = [c.name for c in parse("githubstatus-summary-all-operational.json").components]
    assert not [n for n in names if n.startswith("Visit ")]
    assert "Actions" in names


def test_html_in_update_bodies_becomes_plain_text() -> None:
    snapshot = parse("githubstatus-summary-maintenance-plus-incident.json")
    texts = [u.text for i in snapshot.incidents for u in i.updates]
    assert texts
    assert not [t for t in texts if "<br" in t]


def test_maintenances() -> None:
    running = parse("githubstatus-summary-maintenance-in-progress.json")
    assert [m.status for m in running.maintenances] == ["in_progress"]
    assert running.severity is Severity.MAINTENANCE
    assert running.summary == running.maintenances[0].title  # shown after "Maintenance: "
    assert running.maintenances[0].components == ("Codespaces",)
    upcoming = parse("githubstatus-summary-scheduled-maintenance-upcoming.json")
    (maintenance,) = upcoming.maintenances
    assert maintenance.status == "scheduled"
    assert maintenance.starts_at is not None
    assert maintenance.ends_at is not None
    assert maintenance.starts_at < maintenance.ends_at


def test_cloudflare_groups_are_kept_and_not_double_counted() -> None:
    raw = json.loads(
        fixture_bytes("statuspage/cloudflarestatus-summary-minor-groups-maintenance.json")
    )
    groups = {c["id"]: c["name"] for c in raw["components"] if c.get("group")}
    snapshot = parse("cloudflarestatus-summary-minor-groups-maintenance.json")
    assert {c.group for c in snapshot.components} - {None} == set(groups.values())
    # groups with children are roll-ups: only their children appear as components
    assert not {c.id for c in snapshot.components} & set(groups)
    assert len(snapshot.components) == len(raw["components"]) - len(groups)
    assert snapshot.summary == "Operational (26 of 340 data centres affected, 18 under maintenance)"


def test_incident_io_compat_incidents_have_links_without_shortlink() -> None:
    snapshot = parse("openai-compat-incidents-trimmed.json")
    assert len(snapshot.incidents) == 3
    assert all(i.resolved for i in snapshot.incidents)
    assert all(i.url and "/incidents/" in i.url for i in snapshot.incidents)
    assert not snapshot.active_incidents


def test_incident_io_duplicate_component_names_are_kept_apart() -> None:
    snapshot = parse("openai-compat-components.json")
    logins = [c for c in snapshot.components if c.name == "Login"]
    assert len(logins) == 2
    assert logins[0].id != logins[1].id


def test_local_offsets_are_parsed_as_aware_datetimes() -> None:
    body = {
        "status": {"indicator": "minor", "description": "Minor"},
        "incidents": [
            {
                "id": "x",
                "name": "Slow",
                "status": "investigating",
                "impact": "minor",
                "created_at": "2019-02-20T12:00:19.418-06:00",
                "incident_updates": [],
            }
        ],
    }
    snapshot = provider.parse(json.dumps(body).encode(), fetched_at=NOW, page_url="https://e.test")
    assert snapshot.incidents[0].started_at == datetime(2019, 2, 20, 18, 0, 19, 418000, tzinfo=UTC)


def test_unknown_enum_values_do_not_crash_or_hide_real_signals() -> None:
    body = {
        "status": {"indicator": "purple"},
        "components": [
            {"id": "a", "name": "A", "status": "on_fire"},
            {"id": "b", "name": "B", "status": "major_outage"},
        ],
    }
    snapshot = provider.parse(json.dumps(body).encode(), fetched_at=NOW, page_url="https://e.test")
    assert snapshot.components[0].severity is Severity.UNKNOWN
    assert snapshot.severity is Severity.MAJOR_OUTAGE


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty response"),
        (
            b"<!DOCTYPE html><html><body>Moved</body></html>",
            "not a Statuspage summary: the server returned HTML",
        ),
        (b'{"page": {"id": "x"}, "status": ', "not a Statuspage summary: invalid JSON at line 1"),
        (b'{"page": {"id": "x"}}', "not a Statuspage summary: missing 'status'"),
        (b"[1, 2, 3]", "not a Statuspage summary: is not an object"),
        (b'{"status": "\xff\xfe"}', "not a Statuspage summary: the response is not valid UTF-8"),
        (b"[" * 100_000, "not a Statuspage summary:"),
    ],
)
def test_bad_bodies_give_clear_errors(body: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        provider.parse(body, fetched_at=NOW, page_url="https://e.test")
    assert str(caught.value).startswith(message)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "status",
                    "indicator",
                    "components",
                    "incidents",
                    "scheduled_maintenances",
                    "page",
                    "name",
                    "id",
                    "group",
                    "group_id",
                    "impact",
                    "incident_updates",
                    "body",
                    "created_at",
                    "shortlink",
                    "scheduled_for",
                    "description",
                    "url",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=40,
)


@given(JSON)
@settings(max_examples=300, deadline=None)
def test_arbitrary_json_gives_a_snapshot_or_a_parse_error(data: object) -> None:
    body = json.dumps(data).encode()
    try:
        snapshot = provider.parse(body, fetched_at=NOW, page_url="https://e.test")
    except ParseError as exc:
        assert str(exc)
    else:
        assert isinstance(snapshot.severity, Severity)
        assert isinstance(snapshot.summary, str)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_a_snapshot_or_a_parse_error(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        provider.parse(body, fetched_at=NOW, page_url="https://e.test")


def test_fixture_dir_exists() -> None:
    assert Path(FIXTURES / "statuspage").is_dir()
