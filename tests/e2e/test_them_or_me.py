"""Is it them or me, end to end: the real app on the test desktop watches an endpoint of
the user's ("Shop API", runs on "Litware") and Litware's status page, both on loopback,
and the notification server shows what it was told — for each order in which the two
can change."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.e2e.app import App
from tests.e2e.desktop import NotificationDaemon, Shown, tray_item, tray_tooltip, wait_until
from tests.support.server import StatusServer

SUMMARY = "/api/v2/summary.json"
CALM = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
DOWN = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")
# 30 s intervals (the minimum) run 15 times faster: a poll every 2 s.
TIME_SCALE = 15
INTERVAL = 30 / TIME_SCALE
# "Within two poll intervals of the platform's page changing", plus the time a loaded
# machine takes to deliver.
PROMPT = 2 * INTERVAL * 1.1 + 6


class World:
    """Litware's page and the user's endpoints, switched by the test."""

    def __init__(self, server: StatusServer, endpoints: tuple[str, ...]) -> None:
        self.server = server
        self.litware = CALM
        self.status = dict.fromkeys(endpoints, 200)
        server.route("/lw" + SUMMARY, lambda h: h.send_bytes(self.litware))
        for name in endpoints:
            server.route(
                f"/{_path(name)}",
                lambda h, n=name: h.send_bytes(b"{}", self.status[n]),
            )

    def config(self) -> str:
        litware = self.server.url("/lw")
        text = f'[[services]]\nname = "Litware"\nkind = "statuspage"\nurl = "{litware}"\n'
        for name in self.status:
            text += (
                f'[[services]]\nname = "{name}"\nkind = "http"\n'
                f'url = "{self.server.url("/" + _path(name))}"\ndepends_on = ["Litware"]\n'
            )
        return text


def _path(name: str) -> str:
    return name.lower().replace(" ", "-")


@pytest.fixture
def world(status_server: StatusServer, request: pytest.FixtureRequest) -> World:
    return World(status_server, getattr(request, "param", ("Shop API",)))


@pytest.fixture
def app(tmp_path: Path, world: World) -> Iterator[App]:
    config = tmp_path / "config.toml"
    config.write_text(world.config(), encoding="utf-8")
    instance = App(config, tmp_path, env={"TRAYWATCH_TIME_SCALE": str(TIME_SCALE)})
    yield instance
    instance.close()


def started(app: App) -> tuple[NotificationDaemon, int]:
    daemon = NotificationDaemon()
    before = len(daemon.from_app())
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon")
    wait_until(lambda: daemon.from_app()[before:], what="the first-start summary")
    return daemon, len(daemon.from_app())


def arrives(daemon: NotificationDaemon, since: int, summary: str, timeout: float) -> Shown:
    shown = wait_until(
        lambda: [n for n in daemon.from_app()[since:] if n.summary == summary],
        timeout=timeout,
        what=f"the notification '{summary}'",
    )
    return shown[0]


def check_json(app: App) -> dict[str, dict[str, object]]:
    out = subprocess.run(
        [sys.executable, "-m", "traywatch", "check", "--json", "--config", str(app.config)],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return {s["name"]: s for s in json.loads(out.stdout)["services"]}


def test_endpoint_first_then_the_platform_admits_it(app: App, world: World) -> None:
    daemon, seen = started(app)
    world.status["Shop API"] = 500
    failing = arrives(daemon, seen, "Shop API: major outage", timeout=30)
    assert failing.body == "HTTP 500\nNo incident reported by Litware yet"
    time.sleep(INTERVAL)  # Litware admits it a while later
    world.litware = DOWN
    changed = time.monotonic()
    explained = arrives(
        daemon, seen, "Shop API is failing — Litware now reports a major outage", timeout=30
    )
    assert time.monotonic() - changed < PROMPT
    assert "Incident with Codespaces" in explained.body
    # on screen it took the place of the first one
    assert explained.ident == failing.ident
    item = tray_item(app.pid)
    assert item is not None
    assert "Shop API — Major outage: HTTP 500 — Litware reports a major outage" in tray_tooltip(
        item
    )
    said = check_json(app)["Shop API"]["them_or_me"]
    assert isinstance(said, dict)
    assert said["verdict"] == "them"
    assert str(said["text"]).startswith("Litware reports a major outage")
    app.stop()


def test_platform_first_the_failure_is_explained_at_once(app: App, world: World) -> None:
    daemon, seen = started(app)
    world.litware = DOWN
    arrives(daemon, seen, "Litware: Incident with Codespaces", timeout=30)
    world.status["Shop API"] = 500
    failing = arrives(daemon, seen, "Shop API: major outage", timeout=30)
    assert failing.body.startswith("HTTP 500\nLitware reports a major outage")
    time.sleep(2 * INTERVAL)
    assert not [n for n in daemon.from_app()[seen:] if "now reports" in n.summary]
    app.stop()


def test_both_change_in_the_same_poll(app: App, world: World) -> None:
    daemon, seen = started(app)
    world.litware = DOWN
    world.status["Shop API"] = 500
    failing = arrives(daemon, seen, "Shop API: major outage", timeout=30)
    # whichever page is polled first, the platforms are asked again before answering
    assert failing.body.startswith("HTTP 500\nLitware reports a major outage")
    app.stop()


def test_the_platform_recovers_first(app: App, world: World) -> None:
    daemon, seen = started(app)
    world.litware = DOWN
    world.status["Shop API"] = 500
    arrives(daemon, seen, "Shop API: major outage", timeout=30)
    world.litware = CALM
    changed = time.monotonic()
    after = arrives(daemon, seen, "Litware is back to normal but Shop API still fails", timeout=30)
    assert time.monotonic() - changed < PROMPT + INTERVAL  # resolved takes two polls
    assert after.body == "Probably yours now: HTTP 500"
    said = check_json(app)["Shop API"]["them_or_me"]
    assert isinstance(said, dict)
    assert said["verdict"] == "not_reported"
    app.stop()


@pytest.mark.parametrize("world", [("Shop API", "Admin", "Webhooks")], indirect=True)
def test_several_endpoints_on_a_silent_platform_are_an_early_warning(
    app: App, world: World
) -> None:
    daemon, seen = started(app)
    for name in world.status:
        world.status[name] = 502
    # the first warning may count fewer (the pages are polled one after the other);
    # each later one takes its place as more fail
    warning = arrives(daemon, seen, "3 of your endpoints on Litware are failing", timeout=30)
    assert warning.body == "Litware reports nothing yet. Failing: Shop API, Admin, Webhooks"
    app.stop()
