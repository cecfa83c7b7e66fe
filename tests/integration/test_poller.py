from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.integration.helpers import make_poller
from tests.support.server import RequestHandler, StatusServer
from traywatch.core.errors import HTTPStatusError, NetworkError
from traywatch.core.model import Severity, failed_snapshot
from traywatch.poller.scheduler import (
    PollerEvent,
    SeverityChanged,
    SnapshotEvent,
)

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")


async def test_conditional_requests_and_304_keep_the_last_snapshot(
    status_server: StatusServer,
) -> None:
    def handler(h: RequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.send_header("Content-Length", "0")
            h.end_headers()
        else:
            h.send_bytes(
                MAJOR, headers={"ETag": '"v1"', "Last-Modified": "Sun, 29 Nov 2026 10:00:00 GMT"}
            )

    route = status_server.route(SUMMARY, handler)
    poller = make_poller({"GitHub": status_server.base_url})
    state = poller.states["GitHub"]
    try:
        first = await poller.poll(state)
        second = await poller.poll(state)
    finally:
        await poller.fetcher.aclose()
    assert "if-none-match" not in route.request_headers[0]
    assert route.request_headers[1]["if-none-match"] == '"v1"'
    assert route.request_headers[1]["if-modified-since"] == "Sun, 29 Nov 2026 10:00:00 GMT"
    assert second.severity is Severity.MAJOR_OUTAGE
    assert second.incidents == first.incidents
    assert second.fetched_at >= first.fetched_at


async def test_user_agent_and_compression_are_announced(status_server: StatusServer) -> None:
    route = status_server.serve(SUMMARY, OPERATIONAL)
    poller = make_poller({"GitHub": status_server.base_url})
    try:
        await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    headers = route.request_headers[0]
    assert headers["user-agent"].startswith("traywatch/")
    assert headers["accept-encoding"] == "gzip, deflate"


async def test_redirects_are_followed_and_the_final_url_kept(status_server: StatusServer) -> None:
    status_server.route(
        "/old" + SUMMARY,
        lambda h: h.send_bytes(b"", 301, headers={"Location": status_server.url("/new" + SUMMARY)}),
    )
    status_server.serve("/new" + SUMMARY, OPERATIONAL)
    poller = make_poller({"Moved": status_server.url("/old")})
    try:
        snapshot = await poller.poll(poller.states["Moved"])
    finally:
        await poller.fetcher.aclose()
    assert snapshot.severity is Severity.OPERATIONAL
    assert poller.states["Moved"].final_url == status_server.url("/new" + SUMMARY)


async def test_retry_after_holds_back_the_next_request_to_that_host(
    status_server: StatusServer,
) -> None:
    status_server.route(SUMMARY, lambda h: h.send_bytes(b"", 429, headers={"Retry-After": "1"}))
    poller = make_poller({"Busy": status_server.base_url})
    state = poller.states["Busy"]
    loop = asyncio.get_running_loop()
    try:
        first = await poller.poll(state)
        assert state.retry_after == 1.0
        assert 0 < poller.fetcher.seconds_until_allowed(status_server.base_url) <= 1.0
        started = loop.time()
        await poller.poll(state)
        waited = loop.time() - started
    finally:
        await poller.fetcher.aclose()
    assert first.error == "HTTP 429 (rate limited, retry after 1 s)"
    assert waited >= 0.9
    assert status_server.hits(SUMMARY) == 2


async def test_kind_is_detected_and_reported(status_server: StatusServer) -> None:
    heroku = fixture_bytes("heroku/apps-red-incident.json")
    status_server.serve("/heroku/api/v4/current-status", heroku)
    status_server.serve("/github" + SUMMARY, MAJOR)
    poller = make_poller(
        {"H": status_server.url("/heroku"), "G": status_server.url("/github")}, kind=None
    )
    try:
        await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    h, g = poller.states["H"], poller.states["G"]
    assert (h.kind, h.kind_detected, h.snapshot and h.snapshot.severity) == (
        "heroku",
        True,
        Severity.MAJOR_OUTAGE,
    )
    assert (g.kind, g.kind_detected, g.snapshot and g.snapshot.severity) == (
        "statuspage",
        True,
        Severity.MAJOR_OUTAGE,
    )


async def test_detection_failure_says_what_was_tried(status_server: StatusServer) -> None:
    status_server.serve("/api/v4/current-status", b"<html>hi</html>", content_type="text/html")
    poller = make_poller({"Nothing": status_server.base_url}, kind=None)
    try:
        snapshot = await poller.poll(poller.states["Nothing"])
    finally:
        await poller.fetcher.aclose()
    assert snapshot.severity is Severity.UNKNOWN
    assert snapshot.error is not None
    assert snapshot.error.startswith(
        f"no supported status API found at {status_server.base_url}; tried "
        "/api/v2/summary.json (HTTP 404), "
        "/api/v4/current-status (not a Heroku status response: the server returned HTML or XML), "
    )
    tried = snapshot.error.split("; tried ", 1)[1]
    for path in ("/summary.json", "/index.json", "/api/v1/components", "/history.atom"):
        assert f"{path} (HTTP 404)" in tried
    # formats that live on one vendor's host are not probed elsewhere
    assert "/public/currentevents" not in tried
    assert poller.states["Nothing"].kind is None


async def test_concurrency_is_limited(status_server: StatusServer) -> None:
    import threading
    import time

    lock = threading.Lock()
    active = 0
    peak = 0

    def slow(h: RequestHandler) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.1)
        with lock:
            active -= 1
        h.send_bytes(OPERATIONAL)

    for i in range(12):
        status_server.route(f"/s{i}" + SUMMARY, slow)
    poller = make_poller({f"s{i}": status_server.url(f"/s{i}") for i in range(12)}, concurrency=3)
    try:
        states = await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    assert all(s.snapshot and s.snapshot.severity is Severity.OPERATIONAL for s in states)
    assert peak == 3


async def test_subscribers_get_snapshots_and_severity_changes(status_server: StatusServer) -> None:
    bodies = [OPERATIONAL, MAJOR, MAJOR]
    status_server.route(SUMMARY, lambda h: h.send_bytes(bodies.pop(0)))
    poller = make_poller({"GitHub": status_server.base_url})
    events: list[PollerEvent] = []
    unsubscribe = poller.subscribe(events.append)
    state = poller.states["GitHub"]
    try:
        for _ in range(3):
            await poller.poll(state)
        unsubscribe()
        status_server.serve(SUMMARY, OPERATIONAL)
        await poller.poll(state)
    finally:
        await poller.fetcher.aclose()
    kinds = [type(e).__name__ for e in events]
    assert kinds == [
        "SnapshotEvent",
        "SeverityChanged",
        "SnapshotEvent",
        "SeverityChanged",
        "SnapshotEvent",
    ]
    changes = [e for e in events if isinstance(e, SeverityChanged)]
    assert [(c.old, c.new) for c in changes] == [
        (None, Severity.OPERATIONAL),
        (Severity.OPERATIONAL, Severity.MAJOR_OUTAGE),
    ]
    last = events[-1]
    assert isinstance(last, SnapshotEvent)
    assert last.previous is not None
    assert last.previous.severity is Severity.MAJOR_OUTAGE


async def test_a_failing_subscriber_does_not_stop_the_others(
    status_server: StatusServer, caplog: pytest.LogCaptureFixture
) -> None:
    status_server.serve(SUMMARY, OPERATIONAL)
    poller = make_poller({"GitHub": status_server.base_url})
    received: list[PollerEvent] = []

    def broken(event: PollerEvent) -> None:
        raise RuntimeError("listener bug")

    poller.subscribe(broken)
    poller.subscribe(received.append)
    try:
        await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    assert len(received) == 2
    assert "listener bug" in caplog.text


async def test_running_poller_polls_on_its_interval_and_refresh_wakes_it(
    status_server: StatusServer,
) -> None:
    status_server.serve(SUMMARY, OPERATIONAL)
    poller = make_poller({"GitHub": status_server.base_url})
    poller.config = poller.config.__class__(
        settings=poller.config.settings.__class__(interval=30.0), services=poller.config.services
    )
    poller.start()
    try:
        await _until(lambda: status_server.hits(SUMMARY) == 1)
        await asyncio.sleep(0.2)
        assert status_server.hits(SUMMARY) == 1  # next poll is ~30 s away
        poller.refresh()
        await _until(lambda: status_server.hits(SUMMARY) == 2)
    finally:
        await poller.stop()
        await poller.fetcher.aclose()
    assert all(t.done() for t in asyncio.all_tasks() if t.get_name().startswith("poll "))


OFFLINE_SCRIPT = """
import asyncio, json
from tests.integration.helpers import make_poller
from traywatch.poller.scheduler import OfflineChanged

async def main():
    poller = make_poller({"A": "http://127.0.0.1:8080", "B": "https://www.githubstatus.com"})
    events = []
    poller.subscribe(events.append)
    try:
        states = await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    print(json.dumps({
        "offline": poller.offline,
        "errors": [s.snapshot.error for s in states],
        "offline_events": [e.offline for e in events if isinstance(e, OfflineChanged)],
    }))

asyncio.run(main())
"""


def test_offline_when_every_service_fails_at_the_network_level() -> None:
    # A private network namespace with no interface up: a real offline machine,
    # and no packet leaves this one.
    result = subprocess.run(
        ["unshare", "--map-root-user", "--net", sys.executable, "-c", OFFLINE_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    outcome = json.loads(result.stdout)
    assert outcome == {
        "offline": True,
        "errors": ["could not connect to 127.0.0.1", "could not resolve www.githubstatus.com"],
        "offline_events": [True],
    }


def test_offline_needs_every_polled_service_to_fail_at_the_network_level() -> None:
    poller = make_poller({"A": "https://a.test", "B": "https://b.test", "C": "https://c.test"})
    a, b, _ = poller.states.values()
    now = datetime.now(UTC)
    a.last_error = NetworkError("could not resolve a.test")
    a.snapshot = failed_snapshot(str(a.last_error), now)
    poller._update_offline()
    assert poller.offline  # C and B have not been polled yet: they do not count
    b.last_error = HTTPStatusError(500)
    b.snapshot = failed_snapshot("HTTP 500", now)
    poller._update_offline()
    assert not poller.offline  # a server answered, so the network works


async def _until(condition: object, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)


def test_json_fixture_sanity() -> None:
    assert json.loads(MAJOR)["status"]["indicator"] == "major"


async def test_detection_reports_transport_failures_as_they_are() -> None:
    import socket

    with socket.socket() as probe:  # a port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    poller = make_poller({"Closed": f"http://127.0.0.1:{port}"}, kind=None)
    try:
        snapshot = await poller.poll(poller.states["Closed"])
    finally:
        await poller.fetcher.aclose()
    assert snapshot.error == "connection to 127.0.0.1 refused"


async def test_a_crashed_poll_task_shows_why_and_polls_again(
    status_server: StatusServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that kills a service's task is logged, shown as the service's reason and
    the task starts again (the first version lost such a task without a word)."""
    from traywatch import tasks
    from traywatch.poller import scheduler

    monkeypatch.setattr(tasks, "FIRST_RESTART_DELAY", 0.05)
    route = status_server.serve(SUMMARY, OPERATIONAL)
    real_next_delay = scheduler.next_delay
    calls = {"n": 0}

    def next_delay_with_a_bug(*args: object, **kwargs: object) -> float:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyError("a bug")
        return real_next_delay(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler, "next_delay", next_delay_with_a_bug)
    poller = make_poller({"GitHub": status_server.base_url})
    events: list[PollerEvent] = []
    poller.subscribe(events.append)
    poller.start()
    try:
        for _ in range(100):
            if len(route.request_headers) >= 2:
                break
            await asyncio.sleep(0.05)
    finally:
        await poller.stop()
        await poller.fetcher.aclose()
    assert len(route.request_headers) >= 2, "the task was not restarted"
    snapshots = [e.snapshot for e in events if isinstance(e, SnapshotEvent)]
    assert snapshots[0].ok
    assert not snapshots[1].ok
    assert snapshots[1].error == "internal error (KeyError), see the log"
    assert snapshots[2].ok


async def test_twenty_services_with_one_interval_share_a_few_wake_ups(
    status_server: StatusServer,
) -> None:
    from tests.integration.helpers import until
    from traywatch.config.schema import Config, ServiceConfig, Settings
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    status_server.serve(SUMMARY, OPERATIONAL)
    config = Config(
        settings=Settings(timeout=2, interval=60, concurrency=20),
        services=tuple(
            ServiceConfig(name=f"s{i}", url=status_server.base_url, kind="statuspage")
            for i in range(20)
        ),
    )
    # 60 s in 6 s of the test's time: the jitter spreads polls over 1.2 s
    poller = Poller(config, Fetcher(timeout=2), min_interval=1, time_scale=10)
    loop = asyncio.get_running_loop()
    started: list[float] = []
    poll = poller.poll

    async def counted(state):  # type: ignore[no-untyped-def]
        started.append(loop.time())
        return await poll(state)

    poller.poll = counted  # type: ignore[method-assign]
    poller.start()
    try:
        await until(lambda: len(started) >= 20 * 2, timeout=30)
    finally:
        await poller.stop()
        await poller.fetcher.aclose()
    later = sorted(started[20:40])  # the second round: the first is all at once
    # Polls started by one wake-up start back to back (~1 ms apart); one timer each
    # would spread them ~60 ms apart over the jitter's 1.2 s.
    wake_ups = 1 + sum(b - a > 0.03 for a, b in itertools.pairwise(later))
    assert wake_ups <= 4


async def test_the_pollers_statuses_are_a_read_only_view(status_server: StatusServer) -> None:
    import dataclasses

    status_server.serve(SUMMARY, MAJOR)
    poller = make_poller({"GitHub": status_server.base_url})
    try:
        before = poller.status("GitHub")
        await poller.poll(poller.states["GitHub"])
    finally:
        await poller.fetcher.aclose()
    after = poller.status("GitHub")
    assert before is not None
    assert before.snapshot is None  # as of the moment it was asked
    assert after is not None
    assert after.snapshot is not None
    assert after.snapshot.severity is Severity.MAJOR_OUTAGE
    assert after.last_good is after.snapshot
    assert after.failures == 0
    assert poller.status("Nope") is None
    statuses = poller.statuses()
    assert list(statuses) == ["GitHub"]
    with pytest.raises(TypeError):
        statuses["GitHub"] = after  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        after.failures = 3  # type: ignore[misc]


async def test_one_host_is_polled_at_most_six_at_a_time(status_server: StatusServer) -> None:
    import threading
    import time

    from traywatch.poller.scheduler import PER_HOST

    lock = threading.Lock()
    in_flight = {"now": 0, "most": 0}

    def slow(h: RequestHandler) -> None:
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        time.sleep(0.15)
        with lock:
            in_flight["now"] -= 1
        h.send_bytes(OPERATIONAL)

    for i in range(20):
        status_server.route(f"/s{i}{SUMMARY}", slow)
    poller = make_poller({f"s{i}": status_server.url(f"/s{i}") for i in range(20)}, concurrency=20)
    try:
        states = await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    assert all(s.snapshot is not None and s.snapshot.ok for s in states)
    assert in_flight["most"] == PER_HOST


async def test_a_large_document_is_parsed_off_the_event_loop(
    status_server: StatusServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from traywatch.poller.fetch import PARSE_OFF_LOOP_BYTES
    from traywatch.providers.statuspage import StatuspageProvider

    page = json.loads(OPERATIONAL)
    component = page["components"][0]
    page["components"] = [{**component, "id": f"c{i}", "name": f"Region {i}"} for i in range(1200)]
    big = json.dumps(page).encode()
    assert len(big) > PARSE_OFF_LOOP_BYTES
    status_server.serve("/big" + SUMMARY, big)
    status_server.serve("/small" + SUMMARY, OPERATIONAL)
    threads: list[str] = []
    parse = StatuspageProvider.parse

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return parse(self, *args, **kwargs)

    monkeypatch.setattr(StatuspageProvider, "parse", spy)
    poller = make_poller({"Big": status_server.url("/big"), "Small": status_server.url("/small")})
    try:
        big_snapshot = await poller.poll(poller.states["Big"])
        small_snapshot = await poller.poll(poller.states["Small"])
    finally:
        await poller.fetcher.aclose()
    assert big_snapshot.ok, big_snapshot.error
    assert len(big_snapshot.components) == 1200
    assert small_snapshot.ok
    main = threading.main_thread().name
    assert threads[0] != main  # the big one: in a worker thread
    assert threads[1] == main  # a small one is not worth a thread's hand-off
