"""Own endpoints (kind = "http"): is my app up, fast enough, and saying the right thing?

The user's own endpoint, not a status page: its answer is judged by its status code,
body and latency, so it is no provider (providers/ reads status pages). The poller
fetches with `Fetcher.request` and these pure functions turn the answer into a
snapshot."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.errors import FetchError, NetworkError
from traywatch.core.model import Severity, Snapshot

DEFAULT_OK = range(200, 400)


@dataclass(frozen=True, slots=True)
class HttpCheck:
    method: str = "GET"
    expect_status: tuple[int, ...] | None = None
    body_contains: str | None = None
    body_regex: str | None = None
    degraded_after: float | None = None


def auth_headers(auth: str | None, username: str | None, secret: str | None) -> dict[str, str]:
    if not auth or secret is None:
        return {}
    if auth == "bearer":
        return {"Authorization": f"Bearer {secret}"}
    token = base64.b64encode(f"{username or ''}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def evaluate(
    check: HttpCheck, *, status: int, body: bytes, elapsed: float, fetched_at: datetime
) -> Snapshot:
    """The endpoint's state from one answer; the reason names what was wrong."""
    problem = _problem(check, status, body)
    latency = f"{elapsed:.2f} s"
    if problem is not None:
        severity, summary = Severity.MAJOR_OUTAGE, problem
    elif check.degraded_after is not None and elapsed > check.degraded_after:
        severity, summary = Severity.DEGRADED, f"{elapsed:.1f} s > {check.degraded_after:g} s"
    else:
        severity, summary = Severity.OPERATIONAL, f"HTTP {status} in {latency}"
    return Snapshot(
        severity=severity,
        summary=summary,
        fetched_at=fetched_at,
        extra={"latency": elapsed, "status": status},
    )


def _problem(check: HttpCheck, status: int, body: bytes) -> str | None:
    allowed = check.expect_status or DEFAULT_OK
    if status not in allowed:
        return f"HTTP {status}"
    if check.body_contains is None and check.body_regex is None:
        return None
    text = body.decode("utf-8", errors="replace")
    if check.body_contains is not None and check.body_contains not in text:
        return f"body does not contain '{check.body_contains}'"
    if check.body_regex is not None and re.search(check.body_regex, text) is None:
        return f"body does not match /{check.body_regex}/"
    return None


def failure(error: FetchError, fetched_at: datetime) -> Snapshot:
    """Could not get an answer. Refused, reset, timed out, TLS: the endpoint is down.
    No route or no DNS at all may be our own network: that stays unknown (and offline
    detection takes it from there)."""
    severity = Severity.UNKNOWN if isinstance(error, NetworkError) else Severity.MAJOR_OUTAGE
    return Snapshot(
        severity=severity,
        summary=str(error),
        fetched_at=fetched_at,
        error=str(error) if severity is Severity.UNKNOWN else None,
        extra={"latency": None, "status": None},  # no answer: a gap in the sparkline
    )
