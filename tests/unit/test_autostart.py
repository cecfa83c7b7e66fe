from __future__ import annotations

import configparser
import os
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from traywatch import APP_ID, autostart


def read_entry(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    entry.read(path, encoding="utf-8")
    return entry["Desktop Entry"]


def test_xdg_autostart_entry_is_the_menu_entry_with_this_installations_command() -> None:
    path = autostart.entry_path()
    assert path == Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"
    assert not autostart.is_enabled()
    assert autostart.enable() == str(path)
    assert autostart.is_enabled()
    desktop = read_entry(path)
    assert desktop["Type"] == "Application"
    assert desktop["Icon"] == APP_ID
    assert desktop["X-GNOME-Autostart-enabled"] == "true"
    assert desktop["Exec"] == autostart.exec_value([sys.executable, "-m", "traywatch"])
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert not result.stdout  # not even a hint
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.disable()  # twice is fine


def test_an_entry_written_by_earlier_versions_counts_and_is_replaced() -> None:
    legacy = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "traywatch.desktop"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(
        "[Desktop Entry]\nType=Application\nName=traywatch\nExec=/old/venv/bin/python -m "
        "traywatch\n",
        encoding="utf-8",
    )
    assert autostart.is_enabled()
    autostart.enable()
    path = autostart.entry_path()
    assert not legacy.exists()
    assert path is not None
    assert path.exists()
    legacy.write_text("[Desktop Entry]\n", encoding="utf-8")
    autostart.disable()
    assert not legacy.exists()
    assert not autostart.is_enabled()


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (["/usr/bin/traywatch"], "/usr/bin/traywatch"),
        (["/opt/my apps/python", "-m", "traywatch"], '"/opt/my apps/python" -m traywatch'),
        # the spec's escapes inside quotes, then the key file's own for the backslash
        (['/a"b'], '"/a\\\\"b"'),
        (["/a`b$c"], '"/a\\\\`b\\\\$c"'),
        (["/a\\b"], '"/a\\\\\\\\b"'),
        (["/100%/x"], "/100%%/x"),
        (["/100% full/x"], '"/100%% full/x"'),
        (["/x", ""], '/x ""'),
        (["/it's;(odd)"], '"/it\'s;(odd)"'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(argv: list[str], value: str) -> None:
    assert autostart.exec_value(argv) == value


def test_launch_agent_is_a_valid_plist_named_by_the_application_id() -> None:
    argv = ["/Applications/My Apps/traywatch.app/Contents/MacOS/traywatch", "<&>"]
    plist = plistlib.loads(autostart.launch_agent(argv).encode())
    assert plist == {"Label": APP_ID, "ProgramArguments": argv, "RunAtLoad": True}
    assert autostart.entry_path("darwin") == (
        Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    )
    assert autostart.legacy_entry_path("darwin") == (
        Path.home() / "Library" / "LaunchAgents" / "io.traywatch.app.plist"
    )


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (
            [r"C:\Program Files\Python\pythonw.exe", "-m", "traywatch"],
            r'"C:\Program Files\Python\pythonw.exe" -m traywatch',
        ),
        ([r"C:\Users\Ann\AppData\Local\Programs\traywatch\traywatch.exe"], None),
        ([r"C:\odd\"quote\traywatch.exe"], r"C:\odd\\\"quote\traywatch.exe"),
    ],
)
def test_run_key_value_is_quoted_as_windows_parses_it(argv: list[str], value: str | None) -> None:
    assert autostart.run_key_value(argv) == (value or argv[0])


def test_the_command_of_a_venv_or_wheel_install_keeps_the_venv() -> None:
    # sys.executable is the venv's python, a symlink: resolving it would lose the venv.
    assert autostart.command() == [sys.executable, "-m", "traywatch"]


def test_the_command_of_a_frozen_bundle_is_the_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/usr/lib/traywatch/traywatch")
    assert autostart.command() == ["/usr/lib/traywatch/traywatch"]


def test_the_background_portal_request_asks_for_autostart_with_the_command() -> None:
    parent, options = autostart.background_request(True, ["traywatch"])
    assert parent == ""
    assert options["autostart"] == ("b", True)
    assert options["commandline"] == ("as", ["traywatch"])
    assert options["dbus-activatable"] == ("b", False)
    _, off = autostart.background_request(False, ["traywatch"])
    assert off["autostart"] == ("b", False)


def test_the_menu_entry_ships_under_the_application_id() -> None:
    from importlib.resources import files

    text = (files("traywatch.resources") / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert "Exec=traywatch\n" in text
    assert f"Icon={APP_ID}\n" in text
