"""The autostart entry as a desktop reads it: quoted per the Desktop Entry spec, so
that a real launcher runs exactly the command written, and starting the tray app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packaging.helpers import command_line, gio_launch, launch, stop, watch_loopback
from tests.support.server import StatusServer
from traywatch import APP_ID, autostart

pytestmark = pytest.mark.usefixtures("desktop")

RECORDER = """#!{python}
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sys.argv[2:], out)
"""


def test_a_real_launcher_runs_exactly_the_command_written(tmp_path: Path) -> None:
    # (No "%" in the program's path: GLib looks for the program before it undoes "%%".)
    odd = tmp_path / 'an "odd" `dir` with $dollars, \\backslashes\\ & (more); it\'s'
    odd.mkdir()
    program = odd / "record argv"
    program.write_text(RECORDER.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    out = tmp_path / "argv.json"
    arguments = ["it's", "a;b", "$HOME", "~", "*", "%u", "", "back\\slash", 'dq"', "tab\there"]
    entry = tmp_path / "odd.desktop"
    entry.write_text(autostart.desktop_entry([str(program), str(out), *arguments]))

    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert not check.stdout
    gio_launch(entry)
    deadline = time.monotonic() + 15
    while not (out.exists() and out.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(out.read_text(encoding="utf-8")) == arguments


def test_the_autostart_entry_of_a_venv_starts_the_tray_app(status_server: StatusServer) -> None:
    watch_loopback(status_server)
    env = {**os.environ, "TMPDIR": os.environ["XDG_CONFIG_HOME"]}
    on = subprocess.run(
        [sys.executable, "-m", "traywatch", "autostart", "on"], capture_output=True, text=True
    )
    assert on.returncode == 0, on.stderr
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"
    assert str(entry) in on.stdout

    pid = launch(entry, env)
    try:
        assert command_line(pid) == [sys.executable, "-m", "traywatch"]
    finally:
        stop(pid)
    off = subprocess.run([sys.executable, "-m", "traywatch", "autostart", "off"], check=True)
    assert off.returncode == 0
    assert not entry.exists()
