"""Installs the .deb for real, checks it as a user's desktop would see it, and purges it,
checking that nothing is left behind. Run as root, on the test desktop:

    scripts/with-desktop .venv/bin/python packaging/debian/check_install.py dist/traywatch_*.deb

1. `apt-get install ./traywatch_*.deb` (with the libraries it depends on)
2. lintian (0 errors), desktop-file-validate, appstreamcli validate (no network)
3. the application list (GIO, as GNOME reads it) has it, with its icon in the theme
4. started from its menu entry, the tray app shows its icon; `traywatch autostart on`
   writes an entry which, started as the session does at login, does the same
5. `apt-get purge`: every path on the system is as before the install"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP))

from tests.packaging.helpers import command_line, launch, stop  # noqa: E402
from tests.support.server import StatusServer  # noqa: E402

from traywatch import APP_ID  # noqa: E402

# Where a package can put files (and the user's files are not).
SYSTEM = ("/usr", "/etc", "/opt", "/var/lib", "/var/opt", "/bin", "/sbin", "/lib", "/lib64")
SKIPPED = ("/var/lib/apt/lists",)
OPERATIONAL = TOP / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"


def step(what: str) -> None:
    print(f"check: {what}", flush=True)


def sh(*command: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"check: FAILED: {' '.join(command)}\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def paths() -> set[str]:
    found = set()
    for root in SYSTEM:
        for top, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(top, d) not in SKIPPED]
            found.update(os.path.join(top, name) for name in dirs + files)
    return found


def main() -> None:
    deb = Path(sys.argv[1]).resolve()
    if os.geteuid() != 0:
        raise SystemExit("check: run it as root (it installs and purges the package)")
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    checkers = ("lintian", "desktop-file-utils", "appstream", "python3-gi", "libglib2.0-bin")
    sh("apt-get", "install", "-y", "-q", "--no-install-recommends", *checkers, env=apt)
    before = paths()
    step(f"apt-get install {deb.name}")
    sh("apt-get", "install", "-y", "-q", str(deb), env=apt)
    try:
        check_installed(deb)
    finally:
        step("apt-get purge traywatch")
        sh("apt-get", "purge", "-y", "-q", "traywatch", env=apt)
    left = paths() - before
    if left:
        raise SystemExit("check: FAILED: left behind:\n" + "\n".join(sorted(left)))
    step("purged: nothing left behind")
    step("passed")


def check_installed(deb: Path) -> None:
    lintian = subprocess.run(["lintian", str(deb)], capture_output=True, text=True)
    errors = [line for line in lintian.stdout.splitlines() if line.startswith("E:")]
    if errors:
        raise SystemExit("check: FAILED: lintian errors:\n" + "\n".join(errors))
    step(f"lintian: 0 errors, {lintian.stdout.count('W:')} warnings")
    desktop = Path(f"/usr/share/applications/{APP_ID}.desktop")
    if sh("desktop-file-validate", str(desktop)).strip():
        raise SystemExit("check: FAILED: desktop-file-validate has remarks")
    sh("appstreamcli", "validate", "--no-net", f"/usr/share/metainfo/{APP_ID}.metainfo.xml")
    step("desktop-file-validate and appstreamcli validate: clean")

    listing = sh(
        "/usr/bin/python3",
        "-c",
        "from gi.repository import Gio\n"
        f"info = Gio.DesktopAppInfo.new('{APP_ID}.desktop')\n"
        "listed = [a for a in Gio.AppInfo.get_all() if a.get_id() == info.get_id()]\n"
        "print(bool(listed) and info.should_show(), info.get_icon().to_string())",
    ).split()
    if listing != ["True", APP_ID]:
        raise SystemExit(f"check: FAILED: not in the application list as expected: {listing}")
    for icon in ("scalable/apps/{}.svg", "16x16/apps/{}.png", "256x256/apps/{}.png"):
        if not Path("/usr/share/icons/hicolor", icon.format(APP_ID)).is_file():
            raise SystemExit(f"check: FAILED: no icon {icon.format(APP_ID)}")
    step("in the application list, with its icon in the hicolor theme")

    with StatusServer() as server, tempfile.TemporaryDirectory() as home:
        server.serve("/api/v2/summary.json", OPERATIONAL.read_bytes())
        config = Path(home, "config", "traywatch", "config.toml")
        config.parent.mkdir(parents=True)
        config.write_text(f'[[services]]\nname = "GitHub"\nurl = "{server.base_url}"\n')
        env = {**os.environ, "TMPDIR": home, "XDG_CONFIG_HOME": str(config.parent.parent)}
        for name in ("DATA", "STATE", "CACHE"):
            env[f"XDG_{name}_HOME"] = str(Path(home, name.lower()))

        pid = launch(desktop, env)
        try:
            started = command_line(pid)
        finally:
            stop(pid)
        step(f"started from the menu entry: {started}, tray icon shown")

        sh("traywatch", "autostart", "on", env=env)
        entry = Path(env["XDG_CONFIG_HOME"], "autostart", f"{APP_ID}.desktop")
        pid = launch(entry, env)
        try:
            started = command_line(pid)
        finally:
            stop(pid)
        if started != ["/usr/lib/traywatch/traywatch"]:
            raise SystemExit(f"check: FAILED: the login entry started {started}")
        sh("traywatch", "autostart", "off", env=env)
        step(f"started from the login entry: {started}, tray icon shown")


if __name__ == "__main__":
    main()
