"""Start traywatch at login: an XDG autostart entry on Linux, the per-user Run key on
Windows, a LaunchAgent on macOS. The texts are built by pure functions (tested on
every platform); only `enable`/`disable` touch the system."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

LABEL = "traywatch"
MAC_LABEL = "io.traywatch.app"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def command() -> list[str]:
    """How to start this very installation of traywatch."""
    return [sys.executable, "-m", "traywatch"]


def desktop_entry(argv: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=traywatch",
            "Comment=Status of the platforms you depend on, in the tray",
            f"Exec={shlex.join(argv)}",
            "Icon=traywatch",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def launch_agent(argv: list[str]) -> str:
    from xml.sax.saxutils import escape

    arguments = "".join(f"\n        <string>{escape(a)}</string>" for a in argv)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>{MAC_LABEL}</string>
    <key>ProgramArguments</key>
    <array>{arguments}
    </array>
    <key>RunAtLoad</key>
    <true/>
</dict>
</plist>
"""


def run_key_value(argv: list[str]) -> str:
    return " ".join(f'"{a}"' if " " in a else a for a in argv)


def entry_path(platform: str = sys.platform) -> Path | None:
    if platform.startswith("linux"):
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(base) / "autostart" / "traywatch.desktop"
    if platform == "darwin":
        return Path.home() / "Library" / "LaunchAgents" / f"{MAC_LABEL}.plist"
    return None  # Windows keeps it in the registry


def is_enabled() -> bool:
    path = entry_path()
    if path is not None:
        return path.exists()
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, LABEL)
        except OSError:
            return False
        return True
    return False


def enable(argv: list[str] | None = None) -> str:
    """Start at login from now on; returns where that was recorded."""
    argv = argv or command()
    path = entry_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = launch_agent(argv) if sys.platform == "darwin" else desktop_entry(argv)
        path.write_text(text, encoding="utf-8")
        return str(path)
    if sys.platform == "win32":
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, LABEL, 0, winreg.REG_SZ, run_key_value(argv))
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{LABEL}"
    raise OSError(f"starting at login is not supported on {sys.platform}")


def disable() -> None:
    path = entry_path()
    if path is not None:
        path.unlink(missing_ok=True)
        return
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, LABEL)
        except FileNotFoundError:
            pass
