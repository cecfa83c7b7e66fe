"""A new user's first run: `scripts/run` starts the tray app, and without a usable
display `traywatch` says why in one plain line and exits 1 (never Qt's abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.desktop import tray_pids, wait_until
from tests.packaging.helpers import ROOT, stop, watch_loopback
from tests.support.server import StatusServer
from traywatch import __version__, display


def start_app(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "traywatch"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"DISPLAY": "", "WAYLAND_DISPLAY": ""}, "no display: neither DISPLAY nor WAYLAND_DISPLAY"),
        ({"DISPLAY": ":4242", "WAYLAND_DISPLAY": ""}, "cannot connect to the X display ':4242'"),
        ({"DISPLAY": "", "WAYLAND_DISPLAY": "wayland-4242"}, "cannot connect to the Wayland"),
        ({"DISPLAY": "nonsense", "WAYLAND_DISPLAY": ""}, "cannot connect to the X display"),
    ],
)
def test_without_a_usable_display_it_says_so_in_one_line(env: dict[str, str], said: str) -> None:
    result = start_app(QT_QPA_PLATFORM="", **env)
    assert result.returncode == 1, result.stderr  # Qt's abort would be -6 (SIGABRT)
    assert result.stderr.startswith(f"traywatch: {said}")
    assert result.stderr.count("\n") == 1
    assert "traywatch check" in result.stderr


@pytest.mark.usefixtures("desktop")
def test_missing_system_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environ = {"DISPLAY": os.environ["DISPLAY"]}
    assert display.problem(environ, "linux") is None  # the test desktop has them all
    monkeypatch.setitem(display.XCB_LIBRARIES, "libxcb-not-there.so.9", "libxcb-not-there9")
    reason = display.problem(environ, "linux")
    assert reason is not None
    assert "libxcb-not-there.so.9" in reason
    assert reason.endswith("(Debian/Ubuntu: sudo apt-get install libxcb-not-there9)")
    assert "libxcb-cursor" not in reason  # only what is missing


def test_a_platform_chosen_on_purpose_and_other_systems_are_left_to_qt() -> None:
    assert display.problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display.problem({}, "win32") is None
    assert display.problem({}, "darwin") is None


def test_scripts_run_passes_commands_through() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/run"), "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"traywatch {__version__}"


@pytest.mark.usefixtures("desktop")
def test_scripts_run_with_no_command_starts_the_tray_app(
    status_server: StatusServer, tmp_path: Path
) -> None:
    watch_loopback(status_server)
    before = tray_pids()
    app = subprocess.Popen(
        ["bash", str(ROOT / "scripts/run")],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = wait_until(lambda: tray_pids() - before, timeout=60, what="the tray icon")
        assert started == {app.pid}  # scripts/run execs traywatch: same process
    finally:
        stop(app.pid)
        _, errors = app.communicate(timeout=20)
    assert app.returncode == 0, errors
