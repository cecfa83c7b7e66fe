"""The real app as a user runs it, on a virtual desktop with a real tray host and a
real notification daemon, polling a loopback status server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.e2e.app import App
from tests.e2e.desktop import (
    NotificationDaemon,
    drawn_colours,
    screenshot,
    shown_window,
    tray_item,
    tray_pixmap,
    tray_tooltip,
    wait_until,
)
from tests.support.server import StatusServer

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")


@pytest.fixture
def app(tmp_path: Path, status_server: StatusServer) -> Iterator[App]:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[services]]\nname = "GitHub"\nkind = "statuspage"\nurl = "{status_server.base_url}"\n',
        encoding="utf-8",
    )
    instance = App(config, tmp_path)
    yield instance
    instance.close()


def test_outage_notifications_and_tray_icon_end_to_end(
    app: App, status_server: StatusServer
) -> None:
    page = {"body": OPERATIONAL}
    status_server.route(SUMMARY, lambda h: h.send_bytes(page["body"]))
    daemon = NotificationDaemon()
    before = len(daemon.from_app())

    app.start()
    assert app.process is not None
    item = wait_until(lambda: tray_item(app.process.pid), what="the tray icon to register")
    wait_until(lambda: "All systems operational" in tray_tooltip(item), what="operational tooltip")
    calm_pixmap = tray_pixmap(item)
    screenshot("e2e-1-operational", settle=1.0)  # the first-start summary is on screen
    first = wait_until(lambda: daemon.from_app()[before:], what="the first-start summary")
    assert [(n.summary, n.body) for n in first] == [
        ("Watching 1 service", "All systems operational")
    ]

    page["body"] = MAJOR
    app.command("refresh")
    wait_until(lambda: "GitHub — Major outage" in tray_tooltip(item), what="outage tooltip")
    assert tray_pixmap(item) != calm_pixmap
    screenshot("e2e-2-major-outage", settle=1.0)
    # Clicking the notification (dunst's default action) opens the window at it.
    subprocess.run(["dunstctl", "action", "0"], check=True)
    wait_until(
        lambda: "notification clicked: showing GitHub" in app.log(), what="the window to open"
    )
    outage = wait_until(lambda: daemon.from_app()[before + 1 :], what="the outage notification")
    assert [n.summary for n in outage] == ["GitHub: Incident with Codespaces"]
    assert outage[0].icon.endswith("major_outage.png")
    assert outage[0].body.startswith("Major outage · investigating")

    page["body"] = OPERATIONAL
    for _ in range(2):  # the incident must stay away two polls in a row to count as resolved
        polled = status_server.hits(SUMMARY)
        app.command("refresh")
        wait_until(lambda n=polled: status_server.hits(SUMMARY) > n, what="a poll")
    wait_until(lambda: tray_pixmap(item) == calm_pixmap, what="the calm icon again")
    screenshot("e2e-3-recovered", settle=1.0)
    recovered = wait_until(
        lambda: daemon.from_app()[before + 2 :], what="the recovery notification"
    )
    assert [n.summary for n in recovered] == ["GitHub: resolved — Incident with Codespaces"]

    code, stderr = app.stop()
    assert code == 0
    assert "Task was destroyed" not in stderr
    assert "Traceback" not in stderr

    # After a restart nothing is said again.
    app.start()
    hits = status_server.hits(SUMMARY)
    wait_until(lambda: tray_item(app.process.pid), what="the tray icon after restart")
    wait_until(lambda: status_server.hits(SUMMARY) > hits, what="a poll after restart")
    app.command("refresh")
    wait_until(lambda: status_server.hits(SUMMARY) > hits + 1, what="a second poll after restart")
    code, stderr = app.stop()
    assert code == 0
    assert len(daemon.from_app()) == before + 3, daemon.from_app()[before:]


def test_a_second_start_shows_the_first_and_exits(app: App, status_server: StatusServer) -> None:
    status_server.serve(SUMMARY, OPERATIONAL)
    app.start()
    assert app.process is not None
    wait_until(lambda: tray_item(app.process.pid), what="the tray icon")
    second = subprocess.run(
        [sys.executable, "-m", "traywatch", "--config", str(app.config)],
        env=app.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert second.returncode == 0
    assert "already running" in second.stdout
    assert app.process.poll() is None
    code, _ = app.stop()
    assert code == 0


def test_refresh_without_a_running_app(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", "refresh"],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "traywatch is not running" in result.stderr


def test_without_a_system_tray_the_window_says_so(tmp_path: Path) -> None:
    """A display with no tray host and no session bus, as on GNOME without its extension."""
    display_file = tmp_path / "display"
    with display_file.open("w") as out:
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(out.fileno()),
                "-screen",
                "0",
                "800x600x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(out.fileno(),),
            stderr=subprocess.DEVNULL,
        )
    try:
        display = ":" + wait_until(lambda: display_file.read_text().strip(), what="Xvfb")
        env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        env.update(DISPLAY=display, TMPDIR=str(tmp_path))
        config = tmp_path / "config.toml"
        config.write_text('[[services]]\nname = "A"\nurl = "http://127.0.0.1:9"\n', "utf-8")
        app = subprocess.Popen(
            [sys.executable, "-m", "traywatch", "--config", str(config)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        log = Path(os.environ["XDG_STATE_HOME"]) / "traywatch" / "log" / "traywatch.log"
        wait_until(
            lambda: log.exists() and "no system tray available" in log.read_text(),
            what="the no-tray warning",
        )
        window = wait_until(
            lambda: shown_window("traywatch", display), what="the window on the screen"
        )
        shot = screenshot("e2e-no-tray-window", settle=1.0, display=display)
        app.send_signal(signal.SIGTERM)
        _, stderr = app.communicate(timeout=20)
        assert app.returncode == 0, stderr
    finally:
        xvfb.terminate()
        xvfb.wait()
    assert window[2] >= 400, window
    assert window[3] >= 300, window
    assert drawn_colours(shot, window) > 20, "the window is mapped but nothing was drawn in it"


def test_settings_window_in_the_running_app(app: App, status_server: StatusServer) -> None:
    status_server.serve(SUMMARY, OPERATIONAL)
    app.start()
    assert app.process is not None
    wait_until(lambda: tray_item(app.process.pid), what="the tray icon")
    app.command("settings")
    window = wait_until(lambda: shown_window("traywatch settings"), what="the settings window")
    shot = screenshot("e2e-settings-window", settle=1.5)
    assert window[2] >= 400, window
    assert window[3] >= 300, window
    assert drawn_colours(shot, window) > 20, "the window is mapped but nothing was drawn in it"
    code, stderr = app.stop()  # quitting with the window open must be clean too
    assert code == 0, stderr
    assert "Traceback" not in stderr
