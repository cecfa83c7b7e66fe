from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from traywatch.core.model import Severity
from traywatch.core.uptime import Segment, describe_share, observed_time, segments, shares

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


def test_time_not_observed_is_its_own_segment_and_claims_nothing() -> None:
    """Ten minutes after the first start, a week is not "0.0 % operational": the bar
    says what was observed and the share is of that time only."""
    now = T0 + 7 * DAY
    ten_minutes = [(now - timedelta(minutes=10), now)]
    parts = segments([(now - timedelta(minutes=10), OP)], T0, now, ten_minutes)
    assert [(p.severity, p.observed) for p in parts] == [(UNK, False), (OP, True)]
    assert describe_share(parts, "7 days") == "100.0 % operational in the 10 min observed"
    # three hours observed in two stretches, 1.4 minutes of them an outage; the night
    # between them (and a page down then) counts for nothing
    changes = [
        (now - timedelta(hours=10), OP),
        (now - timedelta(hours=6), MAJ),  # while traywatch was not running
        (now - timedelta(hours=2), OP),
        (now - timedelta(minutes=30), MAJ),
        (now - timedelta(minutes=30) + timedelta(seconds=84), OP),
    ]
    observed = [
        (now - timedelta(hours=10), now - timedelta(hours=9)),
        (now - timedelta(hours=2), now),
    ]
    parts = segments(changes, now - DAY, now, observed)
    assert observed_time(parts) == timedelta(hours=3)
    assert not any(p.severity is MAJ and not p.observed for p in parts)
    assert [p for p in parts if p.observed and p.severity is MAJ] == [
        Segment(now - timedelta(minutes=30), now - timedelta(minutes=28, seconds=36), MAJ)
    ]
    assert describe_share(parts, "24 hours") == "99.2 % operational in the 3 h observed"
    # unobserved stretches next to each other are one
    assert sum(1 for p in parts if not p.observed) == 2
    # observed all along: said of the whole period, as before
    whole = segments(changes, now - DAY, now, [(now - 2 * DAY, now)])
    assert describe_share(whole, "24 hours").endswith("over 24 hours")
