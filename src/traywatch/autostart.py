"""Start traywatch at login: an XDG autostart entry on Linux (the Background portal
inside a Flatpak), the per-user Run key on Windows, a LaunchAgent on macOS. The texts
are built by pure functions (tested on every platform); only `enable`/`disable` touch
the system.

The command recorded is the one that starts *this* installation: a venv's or a wheel
install's Python, a frozen bundle's own executable (also inside the .deb, the macOS
app and the Windows installer), or `traywatch` inside a Flatpak."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from traywatch import APP_ID

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "traywatch"
# Names earlier versions used; still recognised, and replaced by enable/disable.
LEGACY_DESKTOP_NAME = "traywatch.desktop"
LEGACY_MAC_LABEL = "io.traywatch.app"

# Characters that make the Desktop Entry spec require an argument to be quoted.
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def command() -> list[str]:
    """How to start this very installation of traywatch."""
    if in_flatpak():
        return ["traywatch"]
    executable = Path(sys.executable)
    if getattr(sys, "frozen", False):  # a PyInstaller bundle
        if sys.platform == "win32":
            # `traywatch-cli autostart on` must not start a console window at login.
            executable = executable.with_name("traywatch.exe")
        return [str(executable)]
    if sys.platform == "win32" and executable.with_name("pythonw.exe").exists():
        executable = executable.with_name("pythonw.exe")
    # Not resolved: a venv's python is a symlink, and only the link knows the venv.
    return [str(executable), "-m", "traywatch"]


def in_flatpak() -> bool:
    return sys.platform.startswith("linux") and Path("/.flatpak-info").exists()


def exec_value(argv: list[str]) -> str:
    """The value of a Desktop Entry `Exec=` key that runs exactly `argv`.

    Quoting per the Desktop Entry spec: an argument with a reserved character goes in
    double quotes, with `"`, `` ` ``, `$` and `\\` escaped by a backslash; `%` is
    doubled (field codes). The key file's own string escapes apply on top, so a
    literal backslash ends up as four."""
    if not argv:
        raise ValueError("no command")
    line = " ".join(_exec_argument(arg) for arg in argv)
    return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _exec_argument(arg: str) -> str:
    if arg and not _RESERVED.intersection(arg):
        return arg.replace("%", "%%")
    escaped = re.sub(r'(["`$\\])', r"\\\1", arg)
    return '"' + escaped.replace("%", "%%") + '"'


def desktop_entry(argv: list[str]) -> str:
    """The autostart entry: the menu entry that ships with traywatch, with the command
    of this installation."""
    from importlib.resources import files

    shipped = (files("traywatch.resources") / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = [
        f"Exec={exec_value(argv)}" if line.startswith("Exec=") else line
        for line in shipped.splitlines()
    ]
    return "\n".join([*lines, "X-GNOME-Autostart-enabled=true", ""])


def launch_agent(argv: list[str]) -> str:
    from xml.sax.saxutils import escape

    arguments = "".join(f"\n        <string>{escape(a)}</string>" for a in argv)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>{APP_ID}</string>
    <key>ProgramArguments</key>
    <array>{arguments}
    </array>
    <key>RunAtLoad</key>
    <true/>
</dict>
</plist>
"""


def run_key_value(argv: list[str]) -> str:
    """The Run key's command line, quoted as the Windows C runtime parses it."""
    return subprocess.list2cmdline(argv)


def entry_path(platform: str = sys.platform) -> Path | None:
    if platform.startswith("linux"):
        return _autostart_dir() / f"{APP_ID}.desktop"
    if platform == "darwin":
        return _launch_agents_dir() / f"{APP_ID}.plist"
    return None  # Windows keeps it in the registry


def legacy_entry_path(platform: str = sys.platform) -> Path | None:
    if platform.startswith("linux"):
        return _autostart_dir() / LEGACY_DESKTOP_NAME
    if platform == "darwin":
        return _launch_agents_dir() / f"{LEGACY_MAC_LABEL}.plist"
    return None


def _autostart_dir() -> Path:
    if in_flatpak():
        # The portal writes the host's entry; XDG_CONFIG_HOME points into the sandbox.
        return Path.home() / ".config" / "autostart"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def _launch_agents_dir() -> Path:
    return Path.home() / "Library" / "LaunchAgents"


def is_enabled() -> bool:
    path, legacy = entry_path(), legacy_entry_path()
    if path is not None and legacy is not None:
        return path.exists() or legacy.exists()
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, RUN_VALUE)
        except OSError:
            return False
        return True
    return False


def enable(argv: list[str] | None = None) -> str:
    """Start at login from now on; returns where that was recorded."""
    argv = argv or command()
    if in_flatpak():
        _request_background(autostart=True, argv=argv)
        return "the desktop's Background portal"
    path, legacy = entry_path(), legacy_entry_path()
    if path is not None and legacy is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = launch_agent(argv) if sys.platform == "darwin" else desktop_entry(argv)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        legacy.unlink(missing_ok=True)
        return str(path)
    if sys.platform == "win32":
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, run_key_value(argv))
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"
    raise OSError(f"starting at login is not supported on {sys.platform}")


def disable() -> None:
    if in_flatpak():
        _request_background(autostart=False, argv=command())
        return
    path, legacy = entry_path(), legacy_entry_path()
    if path is not None and legacy is not None:
        path.unlink(missing_ok=True)
        legacy.unlink(missing_ok=True)
        return
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            pass


def background_request(autostart: bool, argv: list[str]) -> tuple[str, dict[str, object]]:
    """The body of org.freedesktop.portal.Background.RequestBackground."""
    options: dict[str, object] = {
        "reason": ("s", "Show the status of your platforms in the tray from login on"),
        "autostart": ("b", autostart),
        "commandline": ("as", argv),
        "dbus-activatable": ("b", False),
    }
    return "", options  # no parent window


def _request_background(autostart: bool, argv: list[str]) -> None:
    """Ask the portal; it answers later (possibly after asking the user), so only a
    refused call is an error here."""
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    portal = DBusAddress(
        "/org/freedesktop/portal/desktop",
        bus_name="org.freedesktop.portal.Desktop",
        interface="org.freedesktop.portal.Background",
    )
    message = new_method_call(
        portal, "RequestBackground", "sa{sv}", background_request(autostart, argv)
    )
    try:
        with open_dbus_connection(bus="SESSION") as connection:
            reply = connection.send_and_get_reply(message, timeout=10)
    except (OSError, TimeoutError, KeyError, ValueError) as exc:  # KeyError: no bus address
        raise OSError(f"the Background portal is not reachable ({exc})") from None
    if reply.header.message_type is MessageType.error:
        raise OSError(f"the Background portal refused: {reply.body}")
