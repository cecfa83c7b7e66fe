"""The Qt-free Monitor against a real loopback server: poll, remember, notify."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.support.server import StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.health import TrayState
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")


async def _until(condition: object, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)


async def test_monitor_polls_records_and_notifies(
    status_server: StatusServer, tmp_path: Path
) -> None:
    page = {"body": OPERATIONAL}
    status_server.route(SUMMARY, lambda h: h.send_bytes(page["body"]))
    config = Config(
        settings=Settings(timeout=2),
        services=(ServiceConfig(name="GitHub", url=status_server.base_url, kind="statuspage"),),
    )
    store = HistoryStore(tmp_path / "state.sqlite3")
    notifier = RecordingNotifier()
    monitor = Monitor(config, store, notifier)
    changes: list[int] = []
    monitor.subscribe(lambda: changes.append(1))
    assert monitor.tray_state() == (TrayState.UNKNOWN, False)  # nothing known yet
    await monitor.start()
    try:
        await _until(lambda: len(notifier.sent) == 1)
        assert notifier.sent[0].event == "current_state"
        assert monitor.tray_state() == (TrayState.OPERATIONAL, False)
        page["body"] = MAJOR
        monitor.refresh()
        await _until(lambda: len(notifier.sent) == 2)
        assert notifier.sent[1].event == "new_incident"
        assert monitor.tray_state() == (TrayState.MAJOR_OUTAGE, True)
        assert changes
    finally:
        await monitor.stop()
    assert [n.event for n in store.notifications()] == ["current_state", "new_incident"]
    assert [c.to_severity.value for c in store.severity_changes("GitHub")] == [
        "operational",
        "major_outage",
    ]
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith(("poll ", "traywatch"))]

    # A new monitor on the same store starts from what was known, and says nothing again.
    again = Monitor(config, store, RecordingNotifier())
    assert again.tray_state() == (TrayState.MAJOR_OUTAGE, True)
    assert again.views()[0].stale
    store.close()


async def test_waking_from_sleep_checks_everything_again(
    status_server: StatusServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    import traywatch.monitor as monitor_module

    status_server.serve(SUMMARY, OPERATIONAL)
    config = Config(
        settings=Settings(timeout=2),
        services=(ServiceConfig(name="GitHub", url=status_server.base_url, kind="statuspage"),),
    )
    wall = {"now": datetime.now(UTC)}
    monkeypatch.setattr(monitor_module, "WAKE_JITTER_SECONDS", 0.0)
    store = HistoryStore(tmp_path / "state.sqlite3")
    monitor = Monitor(
        config, store, RecordingNotifier(), clock=lambda: wall["now"], tick_seconds=0.05
    )
    await monitor.start()
    try:
        await _until(lambda: status_server.hits(SUMMARY) == 1)
        await asyncio.sleep(0.3)
        assert status_server.hits(SUMMARY) == 1  # the next poll is two minutes away
        wall["now"] += timedelta(hours=8)  # the lid was closed overnight
        await _until(lambda: status_server.hits(SUMMARY) == 2)
    finally:
        await monitor.stop()
        store.close()


async def test_a_failing_endpoint_says_whether_its_platform_reports_trouble(
    status_server: StatusServer, tmp_path: Path
) -> None:
    health = {"status": 200}
    status_server.serve(
        "/heroku/api/v4/current-status", fixture_bytes("heroku/apps-red-incident.json")
    )
    status_server.route("/health", lambda h: h.send_bytes(b"ok", status=health["status"]))
    config = Config(
        settings=Settings(timeout=2),
        services=(
            ServiceConfig(name="Heroku", url=status_server.url("/heroku"), kind="heroku"),
            ServiceConfig(
                name="my-app", url=status_server.url("/health"), kind="http", depends_on=("Heroku",)
            ),
        ),
    )
    store = HistoryStore(tmp_path / "state.sqlite3")
    notifier = RecordingNotifier()
    monitor = Monitor(config, store, notifier)
    await monitor.start()
    try:
        await _until(lambda: [n.event for n in notifier.sent] == ["current_state"])
        health["status"] = 502
        for _ in range(2):  # a change must hold for two polls
            polled = status_server.hits("/health")
            monitor.refresh("my-app")
            await _until(lambda n=polled: status_server.hits("/health") > n)
        await _until(lambda: len(notifier.sent) == 2)
    finally:
        await monitor.stop()
        store.close()
    down = notifier.sent[1]
    assert (down.service, down.event, down.title) == (
        "my-app",
        "escalation",
        "my-app: major outage",
    )
    assert down.body == (
        "HTTP 502\nHeroku reports a major outage affecting Apps, Tools "
        "(Increased error rates for apps in the Common Runtime)"
    )


async def test_an_edited_config_file_applies_at_once(
    status_server: StatusServer, tmp_path: Path
) -> None:
    from traywatch.config import load_config

    status_server.serve("/a" + SUMMARY, OPERATIONAL)
    status_server.serve("/b" + SUMMARY, MAJOR)
    path = tmp_path / "config.toml"
    one = f'[[services]]\nname = "A"\nkind = "statuspage"\nurl = "{status_server.url("/a")}"\n'
    path.write_text(one, encoding="utf-8")
    store = HistoryStore(tmp_path / "state.sqlite3")
    monitor = Monitor(load_config(path), store, RecordingNotifier(), tick_seconds=0.05)
    await monitor.start()
    try:
        await _until(lambda: status_server.hits("/a" + SUMMARY) >= 1)
        b_url = status_server.url("/b")
        two = one + f'\n[[services]]\nname = "B"\nkind = "statuspage"\nurl = "{b_url}"\n'
        path.write_text(two, encoding="utf-8")
        await _until(lambda: status_server.hits("/b" + SUMMARY) >= 1)
        assert [v.name for v in monitor.views()] == ["A", "B"]
        await _until(lambda: monitor.tray_state()[0] is TrayState.MAJOR_OUTAGE)

        broken = "[[services]]\nname = 'C'\n"
        path.write_text(broken, encoding="utf-8")
        await _until(lambda: monitor.config_problem is not None)
        assert "services[0].url: required" in monitor.config_problem
        assert [v.name for v in monitor.views()] == ["A", "B"]  # still running the last good one
        assert path.read_text(encoding="utf-8") == broken  # and the file is left alone
        assert "not applied" in monitor.tooltip()
    finally:
        await monitor.stop()
        store.close()


async def test_a_reconfigure_keeps_the_http_client_unless_its_settings_change(
    status_server: StatusServer, tmp_path: Path
) -> None:
    """Its connections, the pages' ETags and the hosts' backoff carry over an edit of the
    watchlist (and building a new client costs megabytes of TLS context each time)."""
    route = status_server.route(
        SUMMARY, lambda h: h.send_bytes(OPERATIONAL, headers={"ETag": '"v1"'})
    )
    github = ServiceConfig(name="GitHub", url=status_server.base_url, kind="statuspage")
    config = Config(settings=Settings(timeout=2), services=(github,))
    monitor = Monitor(config, HistoryStore(tmp_path / "s.db"), RecordingNotifier())
    await monitor.start()
    try:
        await _until(lambda: monitor.polls == 1)  # answered and its ETag kept, not only sent
        assert monitor.poller is not None
        client = monitor.poller.fetcher
        renamed = Config(
            settings=Settings(timeout=2), services=(replace(github, name="GitHub.com"),)
        )
        await monitor.reconfigure(renamed)
        await _until(lambda: len(route.request_headers) == 2)
        assert monitor.poller.fetcher is client
        assert route.request_headers[1]["if-none-match"] == '"v1"'  # the validator stayed
        await monitor.reconfigure(Config(settings=Settings(timeout=5), services=(github,)))
        assert monitor.poller.fetcher is not client  # another timeout: another client
    finally:
        await monitor.stop()
