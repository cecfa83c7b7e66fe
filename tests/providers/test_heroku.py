from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import fixture_bytes
from traywatch.core.errors import ParseError
from traywatch.core.model import Severity, Snapshot
from traywatch.providers.heroku import HerokuProvider

NOW = datetime(2025, 6, 10, 17, 0, tzinfo=UTC)
provider = HerokuProvider()


def parse(name: str) -> Snapshot:
    return provider.parse(
        fixture_bytes(f"heroku/{name}"), fetched_at=NOW, page_url="https://status.heroku.com"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("all-green.json", Severity.OPERATIONAL),
        ("apps-red-incident.json", Severity.MAJOR_OUTAGE),
        ("data-blue-maintenance.json", Severity.MAINTENANCE),
        ("resolved-flag-false-but-state-resolved.json", Severity.OPERATIONAL),
    ],
)
def test_severity(name: str, expected: Severity) -> None:
    assert parse(name).severity is expected


def test_endpoint() -> None:
    assert provider.endpoints("https://status.heroku.com") == (
        "https://status.heroku.com/api/v4/current-status",
    )


def test_systems_become_components() -> None:
    snapshot = parse("apps-red-incident.json")
    assert [(c.name, c.severity) for c in snapshot.components] == [
        ("Apps", Severity.MAJOR_OUTAGE),
        ("Data", Severity.OPERATIONAL),
        ("Tools", Severity.DEGRADED),
    ]


def test_open_incident_with_updates_newest_first() -> None:
    snapshot = parse("apps-red-incident.json")
    (incident,) = snapshot.incidents  # the one whose state is resolved is left out
    assert incident.id == "2857"
    assert incident.severity is Severity.MAJOR_OUTAGE
    assert incident.status == "identified"
    assert incident.url == "https://status.heroku.com/incidents/2857"
    assert incident.components == ("Apps", "Tools")
    assert [u.status for u in incident.updates] == ["update", "issue"]
    assert incident.updates[0].text == "We have identified the cause and are rolling out a fix."
    assert snapshot.summary == (
        "Apps, Tools (incident: Increased error rates for apps in the Common Runtime)"
    )


def test_state_is_trusted_over_the_resolved_flag() -> None:
    assert parse("resolved-flag-false-but-state-resolved.json").incidents == ()


def test_stale_scheduled_maintenances_are_dropped() -> None:
    titles = [m.title for m in parse("apps-red-incident.json").maintenances]
    assert titles == ["Heroku Data maintenance window"]


def test_wrong_shape() -> None:
    with pytest.raises(ParseError, match="not a Heroku status response: missing 'status'"):
        provider.parse(b'{"page": {}}', fetched_at=NOW, page_url="https://status.heroku.com")


@given(
    st.dictionaries(
        st.sampled_from(["status", "incidents", "scheduled", "x"]),
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "system",
                        "status",
                        "state",
                        "systems",
                        "updates",
                        "id",
                        "title",
                        "created_at",
                        "scheduled_for",
                        "scheduled_until",
                    ]
                ),
                st.none() | st.text(max_size=10) | st.integers() | st.lists(st.text(max_size=5)),
            ),
            max_size=4,
        )
        | st.text(max_size=5),
    )
)
@settings(max_examples=300, deadline=None)
def test_arbitrary_json_gives_a_snapshot_or_a_parse_error(data: object) -> None:
    try:
        snapshot = provider.parse(
            json.dumps(data).encode(), fetched_at=NOW, page_url="https://status.heroku.com"
        )
    except ParseError as exc:
        assert str(exc)
    else:
        assert isinstance(snapshot.severity, Severity)
