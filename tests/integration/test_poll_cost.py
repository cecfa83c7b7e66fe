"""An unchanged page costs next to nothing: no store write, no listener woken (but once a
minute, for the "checked at" the tray shows), the times of its checks written together."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import fixture_bytes
from tests.integration.helpers import until
from tests.support.server import RequestHandler, StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")


class Page:
    """A page with an ETag that answers 304 while it has not changed."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.version = 1

    def change(self, body: bytes) -> None:
        self.body = body
        self.version += 1

    def __call__(self, h: RequestHandler) -> None:
        etag = f'"v{self.version}"'
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
        else:
            h.send_bytes(self.body, headers={"ETag": etag})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 10, 0, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def poll_again(monitor: Monitor) -> None:
    before = monitor.polls
    monitor.refresh()
    await until(lambda: monitor.polls > before)
    await asyncio.sleep(0.05)  # what a changed poll saves and shows: at the loop's next turn


async def test_unchanged_polls_write_nothing_until_their_times_are_saved_together(
    status_server: StatusServer, tmp_path: Path
) -> None:
    page = Page(OPERATIONAL)
    route = status_server.route(SUMMARY, page)
    config = Config(
        settings=Settings(timeout=2),
        services=(ServiceConfig(name="GitHub", url=status_server.base_url, kind="statuspage"),),
    )
    store = HistoryStore(tmp_path / "state.sqlite3")
    clock = Clock()
    monitor = Monitor(config, store, RecordingNotifier(), clock=clock)
    told: list[int] = []
    monitor.subscribe(lambda: told.append(monitor.polls))
    await monitor.start()
    try:
        # The first answer is saved and shown at the loop's next turn after it is counted.
        await until(lambda: store.last_snapshot("GitHub") is not None and told)
        writes, heard = store.writes, len(told)
        for _ in range(9):
            await poll_again(monitor)
        assert route.hits == 10
        assert store.writes == writes  # nine 304s: not one row written
        assert len(told) == heard  # and no listener woken
        clock.now += timedelta(minutes=1)
        await poll_again(monitor)
        assert len(told) == heard + 1  # the minute of "checked at" moved: said once
        assert store.writes == writes

        page.change(MAJOR)
        await poll_again(monitor)
        assert len(told) == heard + 2
        assert store.writes > writes
        assert [c.to_severity.value for c in store.severity_changes("GitHub")] == [
            "operational",
            "major_outage",
        ]
        await poll_again(monitor)  # unchanged again
        last_check = monitor.snapshot("GitHub")
        assert last_check is not None
    finally:
        await monitor.stop()  # saves the checks' times not saved yet
    status = monitor.poller.status("GitHub") if monitor.poller else None
    latest = status.snapshot if status else None
    assert latest is not None
    stored = store.last_snapshot("GitHub")
    assert stored is not None
    assert stored.fetched_at == latest.fetched_at
    assert stored.severity.value == "major_outage"
    observed = store.observed_between(
        "GitHub", latest.fetched_at - timedelta(hours=1), latest.fetched_at + timedelta(hours=1)
    )
    assert observed[-1][1] == latest.fetched_at
    store.close()


async def test_the_times_of_unchanged_checks_are_saved_on_a_slow_timer(
    status_server: StatusServer, tmp_path: Path
) -> None:
    page = Page(OPERATIONAL)
    names = [f"Page {i}" for i in range(5)]
    for name in names:
        status_server.route(f"/{name[-1]}{SUMMARY}", page)
    config = Config(
        settings=Settings(timeout=2),
        services=tuple(
            ServiceConfig(name=n, url=status_server.url(f"/{n[-1]}"), kind="statuspage")
            for n in names
        ),
    )
    store = HistoryStore(tmp_path / "state.sqlite3")
    # A minute of the app's time passes in 0.25 s: the flush timer comes round quickly.
    monitor = Monitor(config, store, RecordingNotifier(), time_scale=240, tick_seconds=0.05)
    await monitor.start()
    try:
        # The first poll of each page is saved at the loop's next turn after it is counted.
        await until(lambda: all(store.last_snapshot(n) is not None for n in names))
        first = {n: store.last_snapshot(n) for n in names}
        assert monitor.poller is not None
        poller = monitor.poller

        def polled_again() -> bool:
            statuses = poller.statuses()
            for name in names:
                shot, before = statuses[name].snapshot, first[name]
                if shot is None or before is None or shot.fetched_at <= before.fetched_at:
                    return False
            return True

        await until(polled_again)
        polled = {n: s.snapshot for n, s in poller.statuses().items()}
        await asyncio.sleep(0.6)  # the flush comes round
        for name in names:
            stored, before = store.last_snapshot(name), first[name]
            assert stored is not None
            assert before is not None
            assert stored.fetched_at > before.fetched_at
            shot = polled[name]
            assert shot is not None
            assert stored.fetched_at >= shot.fetched_at
    finally:
        await monitor.stop()
    store.close()
