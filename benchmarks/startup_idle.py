"""Start-up time to a visible tray icon, and memory and CPU when idle: traywatch
against a bare PySide6 app that only shows a tray icon, measured in the same run.

Run it on a desktop with a StatusNotifierItem host, e.g. the test desktop:

    scripts/with-desktop .venv/bin/python benchmarks/startup_idle.py [--runs 5] [--idle 60]

traywatch starts with 20 services configured and their state stored (the usual
start), served by a loopback status server so that its first polls succeed.
"Visible" means: registered with the StatusNotifierWatcher under the process's
PID, which is when the panel can draw it."""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"
SERVICES = 20

BARE_APP = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

app = QApplication(sys.argv)
app.setQuitOnLastWindowClosed(False)
pixmap = QPixmap(22, 22)
pixmap.fill(Qt.GlobalColor.transparent)
painter = QPainter(pixmap)
painter.setBrush(QColor("#26a269"))
painter.drawEllipse(1, 1, 20, 20)
painter.end()
tray = QSystemTrayIcon(QIcon(pixmap))
menu = QMenu()
menu.addAction("Refresh now")
menu.addAction("Quit").triggered.connect(app.quit)
tray.setContextMenu(menu)
tray.show()
sys.exit(app.exec())
"""

SERVER = """
import http.server, sys
body = open(sys.argv[1], 'rb').read()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""

_BUS = DBusAddress(
    "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
)
_WATCHER = DBusAddress(
    "/StatusNotifierWatcher",
    bus_name="org.kde.StatusNotifierWatcher",
    interface="org.freedesktop.DBus.Properties",
)


def registered_pids(connection: object) -> set[int]:
    reply = connection.send_and_get_reply(  # type: ignore[attr-defined]
        new_method_call(
            _WATCHER,
            "Get",
            "ss",
            ("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems"),
        ),
        timeout=2,
    )
    pids = set()
    for item in reply.body[0][1]:
        service = item.partition("/")[0]
        answer = connection.send_and_get_reply(  # type: ignore[attr-defined]
            new_method_call(_BUS, "GetConnectionUnixProcessID", "s", (service,)), timeout=2
        )
        if answer.body:
            pids.add(answer.body[0])
    return pids


def time_to_icon(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.Popen[bytes]]:
    with open_dbus_connection(bus="SESSION") as connection:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        while process.pid not in registered_pids(connection):
            if process.poll() is not None:
                raise SystemExit(f"{command} exited with {process.returncode}")
            if time.perf_counter() - started > 30:
                raise SystemExit(f"{command}: no tray icon after 30 s")
            time.sleep(0.003)
        return time.perf_counter() - started, process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def stored_services(traywatch: list[str]) -> Iterator[tuple[dict[str, str], Path]]:
    """(environment, config) of SERVICES services on a loopback server, their state
    stored by one `check` run of `traywatch` (as a previous run would have); private
    data directories."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(PAYLOAD)], stdout=subprocess.PIPE, text=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            home = Path(tmp)
            env = {
                **os.environ,
                "TMPDIR": tmp,
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_CACHE_HOME": str(home / "cache"),
            }
            config = home / "config.toml"
            config.write_text(
                "".join(
                    f'[[services]]\nname = "Service {i}"\nkind = "statuspage"\n'
                    f'url = "http://127.0.0.1:{port}/s{i}"\n\n'
                    for i in range(SERVICES)
                ),
                encoding="utf-8",
            )
            subprocess.run(
                [*traywatch, "check", "--config", str(config)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            yield env, config
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=60.0)
    args = parser.parse_args()
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("needs a desktop with a tray host: run it under scripts/with-desktop")

    with stored_services([sys.executable, "-m", "traywatch"]) as (env, config):
        bare = [sys.executable, "-c", BARE_APP]
        ours = [sys.executable, "-m", "traywatch", "--config", str(config)]
        results = run(bare, ours, env, args.runs, args.idle)
    report(results, args)


def run(
    bare: list[str], ours: list[str], env: dict[str, str], runs: int, idle: float
) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {
        "bare": {"start": []},
        "traywatch": {"start": []},
    }
    for command in (bare, ours):  # warm the page cache
        stop(time_to_icon(command, env)[1])
    for _ in range(runs):  # alternate, so that drift on the machine hits both alike
        for name, command in (("bare", bare), ("traywatch", ours)):
            seconds, process = time_to_icon(command, env)
            stop(process)
            results[name]["start"].append(seconds)
    # Idle: both side by side for the same window, after a settling period.
    processes = {
        name: time_to_icon(cmd, env)[1] for name, cmd in (("bare", bare), ("traywatch", ours))
    }
    time.sleep(5)
    cpu_before = {name: cpu_seconds(p.pid) for name, p in processes.items()}
    time.sleep(idle)
    for name, process in processes.items():
        rss, pss = memory_kib(process.pid)
        results[name]["rss"] = [rss / 1024]
        results[name]["pss"] = [pss / 1024]
        results[name]["cpu"] = [(cpu_seconds(process.pid) - cpu_before[name]) / idle * 100]
        stop(process)
    return results


def report(results: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> None:
    bare, ours = results["bare"], results["traywatch"]
    print(
        f"{SERVICES} services configured and stored; {args.runs} starts each, {args.idle:g} s idle"
    )
    print(f"{'':34}{'traywatch':>11}{'bare Qt':>11}{'ratio':>8}   target")
    start_ours = statistics.median(ours["start"]) * 1000
    start_bare = statistics.median(bare["start"]) * 1000
    print(
        f"{'start to icon visible, median ms':34}{start_ours:>11.0f}{start_bare:>11.0f}"
        f"{start_ours / start_bare:>8.2f}   <= 1.5x"
    )
    print(
        f"{'  (all runs, ms)':34}{' '.join(f'{s * 1000:.0f}' for s in ours['start']):>11}  "
        f"{' '.join(f'{s * 1000:.0f}' for s in bare['start'])}"
    )
    for key, label in (("rss", "RSS after idle, MiB"), ("pss", "PSS after idle, MiB")):
        a, b = ours[key][0], bare[key][0]
        target = "<= 1.5x" if key == "rss" else ""
        print(f"{label:34}{a:>11.1f}{b:>11.1f}{a / b:>8.2f}   {target}")
    print(
        f"{'idle CPU, % of one core':34}{ours['cpu'][0]:>11.2f}{bare['cpu'][0]:>11.2f}"
        f"{'':>8}   < 0.5 %"
    )


if __name__ == "__main__":
    main()
