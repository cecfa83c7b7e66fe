"""Takes the screenshots the AppStream metainfo shows (packaging/linux/screenshots/):
the real app, on the test desktop, watching recorded status pages served on 127.0.0.1.

    TRAYWATCH_TEST_SCREEN=1280x800x24 \
      scripts/with-desktop .venv/bin/python packaging/linux/take_screenshots.py"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP))

from tests.support.server import StatusServer  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"
PAGES = {
    "GitHub": "statuspage/githubstatus-summary-two-incidents-investigating-and-monitoring.json",
    "Cloudflare": "statuspage/cloudflarestatus-summary-minor-groups-maintenance.json",
    "Heroku": "statuspage/githubstatus-summary-all-operational.json",
    "OpenAI": "statuspage/githubstatus-summary-maintenance-in-progress.json",
}
GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
shot = QGuiApplication.primaryScreen().grabWindow(int(sys.argv[1], 0))
assert shot.save(sys.argv[2], "PNG")
"""


def window_id(title: str) -> str | None:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        found = re.match(rf'\s*(0x[0-9a-f]+) "{re.escape(title)}": \((\S+)', line)
        if found:
            size = re.search(r"(\d+)x(\d+)\+", line)
            if size and int(size.group(1)) > 200:
                return found.group(1)
    return None


def grab(title: str, name: str, env: dict[str, str]) -> None:
    deadline = time.monotonic() + 30
    while (wid := window_id(title)) is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"no window {title!r}")
        time.sleep(0.2)
    time.sleep(2)  # let it paint
    OUT.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-c", GRAB, wid, str(OUT / name)], env=env, check=True)
    print(OUT / name)


def main() -> None:
    fixtures = TOP / "tests/providers/fixtures"
    with StatusServer() as server, tempfile.TemporaryDirectory() as home:
        services = []
        for name, page in PAGES.items():
            server.serve(f"/{name}/api/v2/summary.json", (fixtures / page).read_bytes())
            services.append(
                f'[[services]]\nname = "{name}"\nkind = "statuspage"\n'
                f'url = "{server.url("/" + name)}"\n'
            )
        config = Path(home, "config.toml")
        config.write_text("[settings]\nstart_hidden = false\n\n" + "\n".join(services))
        env = {**os.environ, "TMPDIR": home, "XDG_DATA_HOME": home, "XDG_STATE_HOME": home}
        command = [sys.executable, "-m", "traywatch", "--config", str(config)]
        subprocess.run(["dunstctl", "set-paused", "true"], check=True)  # no bubbles on top
        app = subprocess.Popen(command, env=env)
        try:
            time.sleep(4)  # the first polls
            grab("traywatch", "window.png", env)
            subprocess.run([*command, "settings"], env=env, check=True)
            grab("traywatch settings", "settings.png", env)
        finally:
            app.terminate()
            app.wait(20)


if __name__ == "__main__":
    main()
