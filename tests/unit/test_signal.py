"""The short version of benchmarks/signal_truth.py (SIGNAL.md): two stretches of real recorded
history, replayed through the app's parse -> narrow -> policy path, must give an icon
that does not cry wolf, misses no incident, and tells each incident in few words."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from traywatch.catalog import find
from traywatch.replay import Measurement, measure

HISTORIES = FIXTURES / "histories"
CLOUDFLARE_SERVICES = find("cloudflare").components  # type: ignore[union-attr]
DEVELOPER_PICKS = ("CDN/Cache", "Authoritative DNS", "Workers", "Pages", "R2", "API", "Dashboard")


def assert_truthful(result: Measurement) -> None:
    """The targets of SIGNAL.md."""
    assert result.false_alarm_share <= 0.05
    assert result.alarming
    assert not result.missed
    assert result.per_incident <= 2.5
    assert not result.unannounced
    assert not result.resolution_unseen
    assert result.duplicates == 0


def unpack(name: str, into: Path) -> Path:
    with tarfile.open(HISTORIES / f"{name}.tar.xz") as archive:
        archive.extractall(into, filter="data")
    return into / name


@pytest.mark.parametrize(
    "watched",
    [CLOUDFLARE_SERVICES, (), DEVELOPER_PICKS, ("North America",), ("Europe", "Workers")],
    ids=["catalog default", "whole page", "developer picks", "a region", "region and service"],
)
def test_cloudflare_two_days(tmp_path: Path, watched: tuple[str, ...]) -> None:
    # 80 snapshots, 26-27 March 2025: the API outage (major), Snippets, Workers, a
    # congestion in Ashburn naming a data centre, ~20 data centres re-routed or under
    # maintenance at any time, and the Billing incident open all month.
    history = unpack("cloudflare-2025-03-26", tmp_path)
    result = measure(history, kind="statuspage", name="Cloudflare", watched=watched)
    assert result.polls > 1000
    assert result.not_green_share <= 0.05
    assert_truthful(result)


def test_cloudflare_whole_page_costs_no_notification_per_data_centre(tmp_path: Path) -> None:
    history = unpack("cloudflare-2025-03-26", tmp_path)
    result = measure(history, kind="statuspage", name="Cloudflare")
    assert {n.event for n in result.notifications} <= {
        "current_state",
        "new_incident",
        "escalation",
        "incident_resolved",
    }


@pytest.mark.parametrize("watched", [find("github").components, (), ("Actions",)])  # type: ignore[union-attr]
def test_github_four_weeks(tmp_path: Path, watched: tuple[str, ...]) -> None:
    history = unpack("github-2024-03-14", tmp_path)
    result = measure(history, kind="statuspage", name="GitHub", watched=watched)
    assert_truthful(result)
