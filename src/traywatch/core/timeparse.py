"""Lenient timestamp parsing: pages send many shapes; every result is timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime


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
        return None
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
