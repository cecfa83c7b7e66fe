from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from traywatch.core.model import Severity
from traywatch.core.uptime import Segment, describe_share, segments, shares

T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAY = timedelta(days=1)
OP, DEG, MAJ, UNK = Severity.OPERATIONAL, Severity.DEGRADED, Severity.MAJOR_OUTAGE, Severity.UNKNOWN


def test_segments_cut_where_the_severity_changed() -> None:
    changes = [(T0 - DAY, OP), (T0 + timedelta(hours=6), MAJ), (T0 + timedelta(hours=7), OP)]
    parts = segments(changes, T0, T0 + DAY)
    assert parts == [
        Segment(T0, T0 + timedelta(hours=6), OP),
        Segment(T0 + timedelta(hours=6), T0 + timedelta(hours=7), MAJ),
        Segment(T0 + timedelta(hours=7), T0 + DAY, OP),
    ]
    assert shares(parts)[MAJ] == pytest.approx(1 / 24)
    assert describe_share(parts, "24 hours") == "95.8 % operational over 24 hours"


def test_before_the_first_record_nothing_is_known() -> None:
    parts = segments([(T0 + timedelta(hours=12), DEG)], T0, T0 + DAY)
    assert [p.severity for p in parts] == [UNK, DEG]
    assert shares(parts) == {DEG: 1.0}  # unknown time does not count either way
    assert (
        describe_share(segments([], T0, T0 + DAY), "24 hours") == "Nothing recorded over 24 hours"
    )


def test_changes_after_the_period_and_repeats_are_ignored() -> None:
    changes = [(T0, OP), (T0 + timedelta(hours=1), OP), (T0 + 2 * DAY, MAJ)]
    assert segments(changes, T0, T0 + DAY) == [Segment(T0, T0 + DAY, OP)]
