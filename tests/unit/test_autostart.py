from __future__ import annotations

import configparser
import os
import plistlib
import shlex
import sys
from pathlib import Path

from traywatch import autostart


def test_xdg_autostart_entry(tmp_path: Path) -> None:
    assert sys.platform.startswith("linux")
    path = autostart.entry_path()
    assert path == Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "traywatch.desktop"
    assert not autostart.is_enabled()
    where = autostart.enable()
    assert where == str(path)
    assert autostart.is_enabled()
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(path)
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert shlex.split(desktop["Exec"]) == [sys.executable, "-m", "traywatch"]
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.disable()  # twice is fine


def test_launch_agent_is_a_valid_plist() -> None:
    argv = ["/Applications/My Apps/python", "-m", "traywatch", "<&>"]
    plist = plistlib.loads(autostart.launch_agent(argv).encode())
    assert plist == {"Label": "io.traywatch.app", "ProgramArguments": argv, "RunAtLoad": True}


def test_run_key_value_quotes_paths_with_spaces() -> None:
    value = autostart.run_key_value([r"C:\Program Files\Python\python.exe", "-m", "traywatch"])
    assert value == r'"C:\Program Files\Python\python.exe" -m traywatch'


def test_the_menu_entry_ships() -> None:
    from importlib.resources import files

    text = (files("traywatch.resources") / "traywatch.desktop").read_text(encoding="utf-8")
    assert "Exec=traywatch" in text
