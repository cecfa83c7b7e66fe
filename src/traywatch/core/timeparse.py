"""Lenient timestamp parsing: pages send many shapes; every result is timezone-aware."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 (with `Z`, offsets or none) or epoch seconds/milliseconds; None if unreadable.

    Naive values are taken as UTC, the only guess that is right more often than not."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return _from_epoch(float(text))
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _from_other_formats(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e12:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def isoformat(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_JS_DATE = re.compile(
    r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _from_other_formats(text: str) -> datetime | None:
    """RFC 822 (feeds; also Azure's literal 'Z') and JavaScript's Date.toString()."""
    match = _JS_DATE.match(text)
    if match:
        month, day, year, hour, minute, second, offset = match.groups()
        sign = 1 if offset[0] == "+" else -1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])) * sign
        try:
            return datetime(
                int(year),
                _MONTHS[month],
                int(day),
                int(hour),
                int(minute),
                int(second),
                tzinfo=timezone(delta),
            )
        except (KeyError, ValueError):
            return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
