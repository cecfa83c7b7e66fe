"""Smoke test of a built traywatch (the bundle, the .app, an installed package) on any
platform, with the standard library only: --version, `check` against a status page
served on 127.0.0.1, then the tray app started and answering its single-instance
channel (`refresh`) until it is stopped. Needs a desktop session (on Linux, run it
under scripts/with-desktop).

Usage: python packaging/smoke.py EXECUTABLE [--cli CONSOLE_EXECUTABLE]
  (on Windows the windowed traywatch.exe and, for the commands, traywatch-cli.exe)"""

from __future__ import annotations

import argparse
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
PAGE = TOP / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.read_bytes() if self.path == "/api/v2/summary.json" else b"{}"
        self.send_response(200 if self.path == "/api/v2/summary.json" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def step(what: str) -> None:
    print(f"smoke: {what}", flush=True)


def require(condition: bool, failure: object) -> None:
    if not condition:
        raise SystemExit(f"smoke: FAILED: {failure}")


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable")
    parser.add_argument("--cli", help="the console executable for commands (Windows)")
    args = parser.parse_args()
    app = [str(Path(args.executable).resolve())]
    cli = [str(Path(args.cli).resolve())] if args.cli else app

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TMPDIR": home}
        if sys.platform.startswith("linux"):
            for name in ("CONFIG", "DATA", "STATE", "CACHE"):
                env[f"XDG_{name}_HOME"] = str(Path(home, name.lower()))
        config = Path(home, "config.toml")
        config.write_text(f'[[services]]\nname = "Page"\nurl = "{url}"\n', encoding="utf-8")

        step("--version")
        version = run([*cli, "--version"], env)
        require(version.returncode == 0 and version.stdout.startswith("traywatch "), version)
        step(version.stdout.strip())

        step(f"check --url {url}")
        check = run([*cli, "check", "--url", url], env)
        require(check.returncode == 0 and "Operational" in check.stdout, check)

        step("the tray app")
        process = subprocess.Popen([*app, "--config", str(config)], env=env)
        try:
            deadline = time.monotonic() + 60
            while run([*cli, "refresh"], env).returncode != 0:
                require(process.poll() is None, f"the tray app exited with {process.returncode}")
                require(time.monotonic() < deadline, "the tray app did not answer in 60 s")
                time.sleep(0.5)
            step(f"running (PID {process.pid}) and answering")
        finally:
            process.terminate()
            code = process.wait(30)
        if sys.platform != "win32":  # terminate() is SIGTERM there: a clean quit
            require(code == 0, f"the tray app quit with {code}")
    server.shutdown()
    step("passed")


if __name__ == "__main__":
    main()
