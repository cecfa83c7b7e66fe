"""Staying up, and coming back right: the real app on the test desktop, killed, crashed,
started twice at once, and started before its notification server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.e2e.app import App
from tests.e2e.desktop import (
    NotificationDaemon,
    click_tray_menu,
    tray_item,
    tray_menu,
    wait_until,
)
from tests.support.server import StatusServer

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")
DEGRADED = fixture_bytes("statuspage/githubstatus-summary-minor-degraded-performance.json")


def two_services(tmp_path: Path, server: StatusServer) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(
            f'[[services]]\nname = "{name}"\nkind = "statuspage"\nurl = "{server.url(path)}"\n'
            for name, path in (("GitHub", "/gh"), ("Heroku", "/hk"))
        ),
        encoding="utf-8",
    )
    return config


@pytest.fixture
def app(tmp_path: Path, status_server: StatusServer) -> Iterator[App]:
    instance = App(two_services(tmp_path, status_server), tmp_path)
    yield instance
    instance.close()


def service_menu(entries: dict[tuple[str, ...], object], name: str) -> tuple[str]:
    """The service's submenu (its label carries the state), not the headline."""
    return next(
        (k[0],)
        for k in entries
        if len(k) == 2 and k[0].startswith(f"{name} —") and k[1] == "Open status page"
    )


def menu_state(app: App) -> dict[str, object]:
    entries = tray_menu(wait_until(lambda: tray_item(app.pid), what="the tray icon"))
    github = service_menu(entries, "GitHub")
    heroku = service_menu(entries, "Heroku")
    return {
        "github_when_resolved": entries[(*github, "Notify me when resolved")][1].get(
            "toggle-state"
        ),
        "heroku_label": heroku[0],
        "resume_enabled": entries[("Pause notifications", "Resume")][1].get("enabled", True),
    }


def poll_twice(app: App, server: StatusServer, path: str) -> None:
    """Two polls: an incident must stay away two polls in a row to count as resolved."""
    for _ in range(2):
        before = server.hits(path)
        app.command("refresh")
        wait_until(lambda n=before: server.hits(path) > n, what=f"a poll of {path}")


def test_kill_9_keeps_snooze_pause_and_notify_when_resolved(
    app: App, status_server: StatusServer
) -> None:
    pages = {"/gh": MAJOR, "/hk": OPERATIONAL}
    for prefix in pages:
        status_server.route(prefix + SUMMARY, lambda h, p=prefix: h.send_bytes(pages[p]))
    daemon = NotificationDaemon()
    before = len(daemon.from_app())

    app.start()
    item = wait_until(lambda: tray_item(app.pid), what="the tray icon")
    wait_until(lambda: daemon.from_app()[before:], what="the first-start summary")
    wait_until(
        lambda: service_menu(tray_menu(item), "GitHub")[0] == "GitHub — Major outage",
        what="GitHub's outage in the menu",
    )
    (github,) = service_menu(tray_menu(item), "GitHub")
    (heroku,) = service_menu(tray_menu(item), "Heroku")
    click_tray_menu(item, github, "Notify me when resolved")
    click_tray_menu(item, heroku, "Snooze for 1 hour")
    click_tray_menu(item, "Pause notifications", "For 1 hour")
    asked = {
        "github_when_resolved": 1,
        "heroku_label": "Heroku — Operational (snoozed)",
        "resume_enabled": True,
    }
    wait_until(lambda: menu_state(app) == asked, what="the menu to show what was asked")

    app.kill()
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon after the restart")
    wait_until(lambda: status_server.hits("/gh" + SUMMARY) >= 2, what="a poll after the restart")
    assert menu_state(app) == asked, "what the user asked for was lost by kill -9"

    # Heroku gets an incident (snoozed and paused: silence); GitHub recovers: the
    # one-shot "resolved" passes the pause.
    pages["/hk"] = DEGRADED
    pages["/gh"] = OPERATIONAL
    poll_twice(app, status_server, "/gh" + SUMMARY)
    resolved = wait_until(
        lambda: [n for n in daemon.from_app()[before:] if "resolved" in n.summary],
        what="the one-shot resolution",
    )
    assert [n.summary for n in resolved] == ["GitHub: resolved — Incident with Codespaces"]
    time.sleep(2)  # anything else would have arrived by now
    summaries = [n.summary for n in daemon.from_app()[before:]]
    assert summaries == [
        "Watching 2 services",
        "traywatch was restarted",
        "GitHub: resolved — Incident with Codespaces",
    ], "the incident was announced again, or the snooze or pause did not hold"
    restarted = daemon.from_app()[before + 1]
    assert "did not shut down cleanly last time" in restarted.body
    assert not menu_state(app)["github_when_resolved"], "notify-when-resolved is one-shot"
    code, stderr = app.stop()
    assert code == 0, stderr


def test_two_simultaneous_starts_give_one_app_and_a_killed_one_is_replaced_at_once(
    app: App, status_server: StatusServer
) -> None:
    for prefix in ("/gh", "/hk"):
        status_server.serve(prefix + SUMMARY, OPERATIONAL)
    first, second = app.spawn(), app.spawn()
    outcomes = {}
    for process in (first, second):
        try:
            out, err = process.communicate(timeout=8)
            outcomes[process.pid] = (process.returncode, out, err)
        except subprocess.TimeoutExpired:
            outcomes[process.pid] = None  # still running: the one app
    running = [pid for pid, outcome in outcomes.items() if outcome is None]
    assert len(running) == 1, outcomes
    [(code, out, _err)] = [o for o in outcomes.values() if o is not None]
    assert code == 0
    assert "already running" in out
    survivor = first if first.pid == running[0] else second
    app.process = survivor
    wait_until(lambda: tray_item(survivor.pid), what="the one tray icon")

    app.kill()
    started = time.monotonic()
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon of the next start")
    assert time.monotonic() - started < 10
    assert app.process is not None
    assert app.process.poll() is None, "the next start refused to run after kill -9"
    code, stderr = app.stop()
    assert code == 0, stderr


def test_a_fatal_error_leaves_a_crash_log_and_the_next_start_says_so(
    app: App, status_server: StatusServer
) -> None:
    for prefix in ("/gh", "/hk"):
        status_server.serve(prefix + SUMMARY, OPERATIONAL)
    daemon = NotificationDaemon()
    before = len(daemon.from_app())
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon")
    wait_until(lambda: daemon.from_app()[before:], what="the first-start summary")
    app.kill(signal.SIGSEGV)  # what a native crash (a Qt or binding bug) looks like

    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon after the crash")
    note = wait_until(
        lambda: [n for n in daemon.from_app()[before:] if n.summary == "traywatch was restarted"],
        what="the note about the crash",
    )
    assert "stopped unexpectedly last time" in note[0].body
    match = re.search(r"details are in (\S+\.log)", note[0].body)
    assert match is not None, note[0].body
    crash_log = Path(match.group(1))
    assert "Segmentation fault" in crash_log.read_text(encoding="utf-8")
    assert "Current thread" in crash_log.read_text(encoding="utf-8")  # the stacks
    code, stderr = app.stop()
    assert code == 0, stderr

    # A clean stop leaves nothing to report: the next start is quiet about it.
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon after a clean stop")
    time.sleep(2)
    notes = [n for n in daemon.from_app()[before:] if n.summary == "traywatch was restarted"]
    assert len(notes) == 1
    app.stop()


def test_a_notification_server_that_starts_later_is_used(
    tmp_path: Path, status_server: StatusServer
) -> None:
    """At login the notification daemon may come up after traywatch: until it does,
    the tray shows notifications; from then on the daemon does."""
    page = {"body": OPERATIONAL}
    status_server.route("/gh" + SUMMARY, lambda h: h.send_bytes(page["body"]))
    status_server.serve("/hk" + SUMMARY, OPERATIONAL)
    bus_dir = tmp_path / "bus"
    bus_dir.mkdir()
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            f"--address=unix:dir={bus_dir}",
            "--print-address=1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    dunst: subprocess.Popen[bytes] | None = None
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    app = App(
        two_services(tmp_path, status_server), tmp_path, env={"DBUS_SESSION_BUS_ADDRESS": address}
    )
    try:
        app.start()
        wait_until(
            lambda: "no notification server on the session bus yet" in app.log(),
            what="the app to find no notification server",
        )
        wait_until(lambda: "notify [current_state]" in app.log(), what="the first-start summary")
        dunst_env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
        dunst = subprocess.Popen(["dunst"], env=dunst_env, stderr=subprocess.DEVNULL)
        private = NotificationDaemon(env=dunst_env)
        wait_until(lambda: _has_dunst(dunst_env), what="dunst on the private bus")
        page["body"] = MAJOR
        app.command("refresh")
        shown = wait_until(lambda: private.from_app(), what="a notification through dunst")
        assert [n.summary for n in shown] == ["GitHub: Incident with Codespaces"]
        assert "notifications go to the desktop's notification server" in app.log()
        code, stderr = app.stop()
        assert code == 0, stderr
    finally:
        app.close()
        if dunst is not None:
            dunst.terminate()
            dunst.wait()
        bus.terminate()
        bus.communicate()


def _has_dunst(env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["dunstctl", "is-paused"], env=env, capture_output=True, text=True, check=False
    )
    return result.returncode == 0


def test_a_tray_that_appears_later_gets_the_icon(
    tmp_path: Path, status_server: StatusServer
) -> None:
    """A panel that comes up after traywatch (late at login, or restarted): the window
    stood in for the tray until then; now the icon is there."""
    for prefix in ("/gh", "/hk"):
        status_server.serve(prefix + SUMMARY, OPERATIONAL)
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
    trayer: subprocess.Popen[bytes] | None = None
    app: App | None = None
    try:
        display = ":" + wait_until(lambda: display_file.read_text().strip(), what="Xvfb")
        # no session bus: no StatusNotifierItem host, so the tray is the XEmbed one
        env = {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": ""}
        app = App(two_services(tmp_path, status_server), tmp_path, env=env)
        app.start()
        wait_until(lambda: "no system tray available" in app.log(), what="the no-tray warning")
        assert app.stats()["tray_visible"] is False
        trayer = subprocess.Popen(
            ["trayer", "--edge", "top", "--width", "10", "--height", "32"],
            env={**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": ""},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: "a system tray appeared" in app.log(), what="the tray to be noticed")
        assert app.stats()["tray_visible"] is True
        code, stderr = app.stop()
        assert code == 0, stderr
    finally:
        if app is not None:
            app.close()
        if trayer is not None:
            trayer.terminate()
            trayer.wait()
        xvfb.terminate()
        xvfb.wait()


def test_a_broken_state_file_is_left_alone_and_said_once(
    app: App, status_server: StatusServer
) -> None:
    for prefix in ("/gh", "/hk"):
        status_server.serve(prefix + SUMMARY, OPERATIONAL)
    state = Path(os.environ["XDG_DATA_HOME"]) / "traywatch" / "state.sqlite3"
    state.parent.mkdir(parents=True, exist_ok=True)
    garbage = b"not a database, a user's mistake or a disk's" * 100
    state.write_bytes(garbage)
    daemon = NotificationDaemon()
    before = len(daemon.from_app())
    app.start()
    wait_until(lambda: tray_item(app.pid), what="the tray icon")
    note = wait_until(
        lambda: [
            n
            for n in daemon.from_app()[before:]
            if n.summary == "traywatch cannot remember this time"
        ],
        what="the note about the state file",
    )
    assert str(state) in note[0].body
    assert "left untouched" in note[0].body
    wait_until(lambda: "notify [current_state]" in app.log(), what="checks going on")
    code, stderr = app.stop()
    assert code == 0, stderr
    assert state.read_bytes() == garbage
