from __future__ import annotations

from datetime import UTC, datetime

import pytest

from traywatch.core.model import Severity, worst
from traywatch.core.text import one_line, plain_text
from traywatch.core.timeparse import parse_datetime


def test_severity_order() -> None:
    ordered = [
        Severity.OPERATIONAL,
        Severity.MAINTENANCE,
        Severity.DEGRADED,
        Severity.PARTIAL_OUTAGE,
        Severity.MAJOR_OUTAGE,
    ]
    assert sorted(reversed(ordered)) == ordered
    assert Severity.MAINTENANCE < Severity.DEGRADED <= Severity.DEGRADED


def test_worst_ignores_unknown_items_unless_nothing_is_known() -> None:
    assert worst([Severity.UNKNOWN, Severity.DEGRADED]) is Severity.DEGRADED
    assert worst([Severity.UNKNOWN], default=Severity.UNKNOWN) is Severity.UNKNOWN
    assert worst([]) is Severity.OPERATIONAL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-04-16T15:06:56.487Z", datetime(2026, 4, 16, 15, 6, 56, 487000, tzinfo=UTC)),
        ("2019-02-20T12:00:19.418-06:00", datetime(2019, 2, 20, 18, 0, 19, 418000, tzinfo=UTC)),
        ("2024-01-01 12:00:00", datetime(2024, 1, 1, 12, tzinfo=UTC)),
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
        (10**30, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_plain_text() -> None:
    html = (
        "We are investigating.<br />More at <a href='https://x'>status</a> &amp; soon.<p>Next</p>"
    )
    assert plain_text(html) == "We are investigating.\nMore at status (https://x) & soon.\nNext"
    assert plain_text(None) == ""


def test_one_line() -> None:
    assert one_line("a\n b   c") == "a b c"
    assert one_line("x" * 200, limit=10) == "x" * 9 + "…"
