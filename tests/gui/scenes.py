"""A realistic watchlist for the window's tests and screenshots, from recorded payloads
(tests/providers/fixtures, moved in time so that their incidents are recent): a GitHub
outage with a long timeline, Heroku reporting a major outage on Apps, the user's Shop API
on Heroku's Apps failing with HTTP 502, their Billing API on Heroku's Data answering fine,
a maintenance, a page that could not be checked, and calm ones; three days of history with
a night traywatch was not running."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import fixture_bytes
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.errors import FetchTimeout
from traywatch.core.model import Severity, Snapshot, failed_snapshot
from traywatch.endpoint_check import HttpCheck, evaluate, failure
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.notify.policy import Notification
from traywatch.providers.heroku import HerokuProvider
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore

_ISO = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def recent(payload: bytes, latest: datetime) -> bytes:
    """The payload with every time in it moved by one offset, the latest to `latest`."""
    stamps = [
        datetime.fromisoformat(m.decode().replace("Z", "+00:00")) for m in _ISO.findall(payload)
    ]
    if not stamps:
        return payload
    # a maintenance scheduled for 2099 is not what "latest" means
    typical = sorted(stamps)[len(stamps) // 2]
    offset = latest - max(s for s in stamps if s - typical < timedelta(days=365))

    def moved(match: re.Match[bytes]) -> bytes:
        moment = datetime.fromisoformat(match.group(0).decode().replace("Z", "+00:00"))
        return (moment + offset).astimezone(UTC).isoformat().replace("+00:00", "Z").encode()

    return _ISO.sub(moved, payload)


def statuspage(fixture: str, at: datetime, latest: datetime | None = None) -> Snapshot:
    body = recent(fixture_bytes(f"statuspage/{fixture}"), latest or at - timedelta(minutes=8))
    return StatuspageProvider().parse(body, fetched_at=at, page_url="https://x.test")


def heroku(fixture: str, at: datetime, latest: datetime | None = None) -> Snapshot:
    body = recent(fixture_bytes(f"heroku/{fixture}"), latest or at - timedelta(minutes=8))
    return HerokuProvider().parse(body, fetched_at=at, page_url="https://status.heroku.com")


SERVICES = (
    ServiceConfig("GitHub", "https://www.githubstatus.com", kind="statuspage"),
    ServiceConfig("Heroku", "https://status.heroku.com", kind="heroku"),
    ServiceConfig(
        "Shop API",
        "https://shop.example.com/health",
        kind="http",
        depends_on=("Heroku: Apps",),
        degraded_after=1.0,
    ),
    ServiceConfig(
        "Billing API",
        "https://billing.example.com/health",
        kind="http",
        depends_on=("Heroku: Data",),
        degraded_after=1.0,
    ),
    ServiceConfig("Atlassian", "https://status.atlassian.com", kind="statuspage"),
    ServiceConfig("OpenAI", "https://status.openai.com", kind="statuspage"),
    ServiceConfig("Cloudflare", "https://www.cloudflarestatus.com", kind="statuspage"),
    ServiceConfig("Stripe", "https://status.stripe.com", kind="statuspage"),
    ServiceConfig("Sentry", "https://status.sentry.io", kind="statuspage"),
    ServiceConfig("Slack", "https://slack-status.com", kind="statuspage"),
)
HOUR = timedelta(hours=1)


def build(tmp_path: Path, now: datetime | None = None, *, billing_failing: bool = False) -> Monitor:
    """The store filled with three days of this watchlist, the monitor showing it now.
    `billing_failing`: the Billing API fails too, for 20 minutes, while Heroku's Data —
    what it runs on — stays operational: the failure is the user's own."""
    now = now or datetime.now(UTC)
    store = HistoryStore(tmp_path / "state.sqlite3")
    calm = statuspage("githubstatus-summary-all-operational.json", now)
    outage_start = now - timedelta(minutes=40)
    gap = (now - 30 * HOUR, now - 20 * HOUR)  # a night traywatch was not running
    turns = [now - 52 * HOUR, now - 49 * HOUR, now - 3 * HOUR, outage_start]

    def hourly(name: str, at_time: Callable[[datetime], Snapshot]) -> None:
        """Polled every 2 h (so recorded: far fewer rows to write), and at the moments
        that matter, except during the night traywatch was not running."""
        moments = {now - 2 * HOUR * n for n in range(37)} | set(turns)
        for moment in sorted(moments):
            if not gap[0] < moment < gap[1]:
                snapshot = at_time(moment)
                store.record(name, replace(snapshot, fetched_at=moment), every=7200)

    github_incident = statuspage("githubstatus-summary-major-outage.json", now)
    earlier = statuspage(
        "githubstatus-summary-major-critical-impact-mixed-components.json",
        now - 50 * HOUR,
        latest=now - 51 * HOUR,
    )
    hourly(
        "GitHub",
        lambda t: (
            github_incident
            if t >= now - 3 * HOUR
            else earlier
            if now - 52 * HOUR <= t < now - 49 * HOUR
            else calm
        ),
    )
    heroku_red = heroku("apps-red-incident.json", now, latest=now - timedelta(minutes=6))
    heroku_green = heroku("all-green.json", now - 2 * HOUR)
    hourly("Heroku", lambda t: heroku_red if t >= outage_start else heroku_green)
    maintenance = statuspage("githubstatus-summary-maintenance-in-progress.json", now)
    hourly("Atlassian", lambda t: maintenance if t >= now - 3 * HOUR else calm)
    for name in ("Cloudflare", "Stripe", "Sentry", "Slack", "OpenAI"):
        hourly(name, lambda _t: calm)
    check = HttpCheck(degraded_after=1.0)
    shop: list[Snapshot] = []
    billing: list[Snapshot] = []
    moment = now - 3 * HOUR
    step = 0
    while moment <= now:
        wobble = (step * 37 % 11) / 100
        billing.append(
            evaluate(check, status=500, body=b"", elapsed=0.04 + wobble / 4, fetched_at=moment)
            if billing_failing and moment > now - timedelta(minutes=20)
            else evaluate(check, status=200, body=b"ok", elapsed=0.22 + wobble, fetched_at=moment)
        )
        if moment < outage_start - timedelta(minutes=20):
            shop.append(
                evaluate(check, status=200, body=b"ok", elapsed=0.18 + wobble, fetched_at=moment)
            )
        elif moment < outage_start:  # slower first: the platform was struggling
            shop.append(
                evaluate(check, status=200, body=b"ok", elapsed=0.9 + 3 * wobble, fetched_at=moment)
            )
        elif step % 5 == 3:
            shop.append(failure(FetchTimeout("timed out after 10 s"), moment))
        else:
            shop.append(
                evaluate(check, status=502, body=b"", elapsed=0.05 + wobble / 4, fetched_at=moment)
            )
        moment += timedelta(minutes=2)
        step += 1
    for snapshot in shop:
        store.record("Shop API", snapshot, every=120)
    for snapshot in billing:
        store.record("Billing API", snapshot, every=120)
    _history(store, now)
    config = Config(services=SERVICES)
    monitor = Monitor(config, store, RecordingNotifier())
    latest = {
        "GitHub": github_incident,
        "Heroku": heroku_red,
        "Shop API": shop[-1] if shop[-1].severity is Severity.MAJOR_OUTAGE else shop[-2],
        "Billing API": billing[-1],
        "Atlassian": maintenance,
    }
    _showing(monitor, latest, calm, now)
    return monitor


def _showing(monitor: Monitor, latest: dict[str, Snapshot], calm: Snapshot, now: datetime) -> None:
    """The monitor as it is a while after start: every page polled, OpenAI's failing."""
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    monitor.poller = Poller(monitor.config, Fetcher())
    for index, (name, state) in enumerate(monitor.poller.states.items()):
        snapshot = latest.get(name, replace(calm, fetched_at=now - timedelta(seconds=40 + index)))
        state.next_poll_at = now + timedelta(seconds=70 + 9 * index)
        if name == "OpenAI":
            state.snapshot = failed_snapshot("timed out after 10 s", now - timedelta(seconds=20))
            state.consecutive_failures = 3
            continue
        state.snapshot = state.last_good = snapshot


def _history(store: HistoryStore, now: datetime) -> None:
    said = [
        (now - timedelta(minutes=38), "Heroku", "new_incident", Severity.MAJOR_OUTAGE,
         "Heroku: Increased error rates for apps in the Common Runtime",
         "Major outage · Apps, Tools"),
        (now - timedelta(minutes=37), "Shop API", "new_incident", Severity.MAJOR_OUTAGE,
         "Shop API is failing", "HTTP 502\nHeroku reports a major outage affecting Apps"),
        (now - timedelta(hours=2, minutes=55), "GitHub", "new_incident", Severity.MAJOR_OUTAGE,
         "GitHub: Incident with GitHub.com", "Major outage · Git Operations, API Requests"),
        (now - 2 * HOUR, "Atlassian", "maintenance_started", Severity.MAINTENANCE,
         "Atlassian: maintenance started", "Codespaces Scheduled Maintenance, until 18:00"),
        (now - 49 * HOUR, "GitHub", "incident_resolved", Severity.OPERATIONAL,
         "GitHub: incident resolved", "Incident with GitHub.com"),
        (now - 71 * HOUR, "traywatch", "current_state", Severity.OPERATIONAL,
         "Watching 10 services", "All systems operational"),
    ]  # fmt: skip
    for at, service, event, severity, title, body in said:
        store.record_notification(Notification(at, service, event, severity, title, body))
