"""Start-up time to a visible tray icon, and memory, threads and CPU when idle:
traywatch against the floor, a bare PySide6 app that only shows a tray icon, both on
the same venv and measured in the same run.

Run it on a desktop with a StatusNotifierItem host, e.g. the test desktop:

    scripts/with-desktop .venv/bin/python benchmarks/startup_idle.py \
        [--rounds 7] [--idle 180] [--settle 30] [--json PATH]

traywatch runs from this checkout's src/ with 20 services configured at the minimum
interval (30 s) and their state stored (the usual start); a loopback server answers
their polls, with 304 Not Modified once traywatch knows the page's ETag. "Visible"
means registered with the StatusNotifierWatcher under the process's PID, which is when
the panel can draw it. Start-up is timed twice: with the bytecode compiled (as
installed) and from a copy of the sources without any, never writing it
(PYTHONDONTWRITEBYTECODE=1, as a fresh source checkout runs)."""

from __future__ import annotations

import argparse
import compileall
import contextlib
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    Result,
    Row,
    Summary,
    add_json_argument,
    at_most,
    interleaved,
    print_rows,
    ratio_at_most,
    write_json,
)

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"
SERVICES = 20
INTERVAL = 30  # the minimum the config accepts

# The targets (traywatch ÷ floor, or absolute).
START_TARGET = 1.2
RSS_TARGET = 1.3
THREADS_TARGET = 4
CPU_MS_PER_MINUTE_TARGET = 15
NAGSTAMON = "Nagstamon 28\N{EN DASH}49 ms (written reference, not measured here)"

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

# A status page as the big ones serve it: an ETag, and 304 for a request that has it.
SERVER = """
import hashlib, http.server, sys
body = open(sys.argv[1], 'rb').read()
etag = '"' + hashlib.sha1(body).hexdigest() + '"'
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True  # as real web servers: no 40 ms delayed-ACK stall
    def do_GET(self):
        if self.headers.get('If-None-Match') == etag:
            self.send_response(304)
            self.send_header('ETag', etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('ETag', etag)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
server = Server(('127.0.0.1', 0), Handler)
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
                stop(process)
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


def start_ms(command: list[str], env: dict[str, str]) -> float:
    seconds, process = time_to_icon(command, env)
    stop(process)
    return seconds * 1000


def memory(pid: int) -> dict[str, float]:
    """RSS and PSS in MiB, and the number of threads (Qt's and Python's)."""
    figures: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            figures["threads"] = int(line.split()[1])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("Rss", "Pss"):
            figures[key.lower()] = int(value.split()[0]) / 1024
    return figures


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def stored_services(home: Path, python_path: str) -> Iterator[tuple[dict[str, str], Path]]:
    """(environment, config) of SERVICES services on a loopback server at the minimum
    interval, their state stored by one `check` run (as a previous run would have);
    private data directories."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(PAYLOAD)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        env = {
            **os.environ,
            "PYTHONPATH": python_path,
            "TMPDIR": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        config = home / "config.toml"
        config.write_text(
            f"[settings]\ninterval = {INTERVAL}\n\n"
            + "".join(
                f'[[services]]\nname = "Service {i}"\nkind = "statuspage"\n'
                f'url = "http://127.0.0.1:{port}/s{i}"\n\n'
                for i in range(SERVICES)
            ),
            encoding="utf-8",
        )
        subprocess.run(
            [sys.executable, "-m", "traywatch", "check", "--config", str(config)],
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
    parser.add_argument("--rounds", type=int, default=7, help="timed starts of each (default 7)")
    parser.add_argument(
        "--idle", type=float, default=180.0, help="seconds of idle CPU measured (default 180)"
    )
    parser.add_argument(
        "--settle", type=float, default=30.0, help="seconds after the icon when RSS is read"
    )
    add_json_argument(parser)
    args = parser.parse_args()
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("needs a desktop with a tray host: run it under scripts/with-desktop")

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        # "As installed": every module's bytecode written beforehand.
        compileall.compile_dir(ROOT / "src" / "traywatch", quiet=1)
        # "As a source checkout": a copy of the sources that has never been compiled.
        source = home / "source"
        shutil.copytree(
            ROOT / "src" / "traywatch",
            source / "traywatch",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        with stored_services(home, str(ROOT / "src")) as (env, config):
            uncompiled_env = {
                **env,
                "PYTHONPATH": str(source),
                "PYTHONDONTWRITEBYTECODE": "1",
            }
            bare = [sys.executable, "-c", BARE_APP]
            ours = [sys.executable, "-m", "traywatch", "--config", str(config)]
            # The usual start follows a run that lasted: let one run long enough to save
            # what it saves for the next start (the tray icon).
            _, process = time_to_icon(ours, env)
            time.sleep(5)
            stop(process)
            starts = interleaved(
                args.rounds,
                {
                    "bare": lambda: start_ms(bare, env),
                    "traywatch": lambda: start_ms(ours, env),
                    "bare, no bytecode": lambda: start_ms(bare, uncompiled_env),
                    "traywatch, no bytecode": lambda: start_ms(ours, uncompiled_env),
                },
            )
            if any((source / "traywatch").rglob("*.pyc")):
                raise SystemExit("bytecode was written for the uncompiled copy")
            idle = idle_side_by_side(bare, ours, env, args.settle, args.idle)
    result = rows(starts, idle, args)
    print_rows(result)
    write_json(result, args.json)


def idle_side_by_side(
    bare: list[str], ours: list[str], env: dict[str, str], settle: float, idle: float
) -> dict[str, dict[str, list[float]]]:
    """Both apps running at once: memory and threads `settle` s after the icon and at
    every idle minute after that, CPU per minute from `settle` s on."""
    processes = {}
    for name, command in (("bare", bare), ("traywatch", ours)):
        processes[name] = time_to_icon(command, env)[1]
    iconed = time.monotonic()
    figures: dict[str, dict[str, list[float]]] = {
        name: {"rss": [], "pss": [], "threads": [], "cpu_ms_per_minute": []} for name in processes
    }
    try:
        time.sleep(settle)
        cpu_before = {}
        for name, process in processes.items():
            sample(figures[name], process.pid)
            cpu_before[name] = cpu_seconds(process.pid)
        windows = max(1, math.ceil(idle / 60))
        window = idle / windows
        for _ in range(windows):
            time.sleep(window)
            for name, process in processes.items():
                if process.poll() is not None:
                    raise SystemExit(f"{name} exited while idle with {process.returncode}")
                sample(figures[name], process.pid)
                cpu = cpu_seconds(process.pid)
                figures[name]["cpu_ms_per_minute"].append(
                    (cpu - cpu_before[name]) * 1000 * 60 / window
                )
                cpu_before[name] = cpu
    finally:
        for process in processes.values():
            stop(process)
    figures["bare"]["elapsed"] = [time.monotonic() - iconed]
    return figures


def sample(figures: dict[str, list[float]], pid: int) -> None:
    for key, value in memory(pid).items():
        figures[key].append(value)


def rows(
    starts: dict[str, list[float]], idle: dict[str, dict[str, list[float]]], args: object
) -> Result:
    ours, bare = idle["traywatch"], idle["bare"]
    settle, idle_s = args.settle, args.idle  # type: ignore[attr-defined]
    return Result(
        benchmark="startup_idle",
        baseline="a bare PySide6 tray icon app, same venv, same run",
        setup=(
            f"{SERVICES} services at the {INTERVAL} s minimum, state stored, loopback pages "
            f"answering 304; {len(starts['bare'])} interleaved starts of each; memory "
            f"from {settle:g} s after the icon, CPU over {idle_s:g} s of idle after that"
        ),
        rows=[
            Row(
                "start → icon visible, bytecode compiled",
                "ms",
                Summary.of(starts["traywatch"]),
                Summary.of(starts["bare"]),
                ratio_at_most(START_TARGET),
            ),
            Row(
                "start → icon visible, no bytecode (source checkout)",
                "ms",
                Summary.of(starts["traywatch, no bytecode"]),
                Summary.of(starts["bare, no bytecode"]),
                ratio_at_most(START_TARGET),
            ),
            Row(
                f"RSS {settle:g} s after the icon",
                "MiB",
                Summary.of(ours["rss"][:1]),
                Summary.of(bare["rss"][:1]),
                ratio_at_most(RSS_TARGET),
                digits=1,
                note=f"at the end of the idle window {ours['rss'][-1]:.1f} / {bare['rss'][-1]:.1f}",
            ),
            Row(
                f"PSS {settle:g} s after the icon",
                "MiB",
                Summary.of(ours["pss"][:1]),
                Summary.of(bare["pss"][:1]),
                digits=1,
            ),
            Row(
                "threads while idle (most seen)",
                "",
                Summary.of([max(ours["threads"])]),
                Summary.of([max(bare["threads"])]),
                at_most(THREADS_TARGET),
            ),
            Row(
                "CPU per idle minute",
                "ms",
                Summary.of(ours["cpu_ms_per_minute"]),
                Summary.of(bare["cpu_ms_per_minute"]),
                at_most(CPU_MS_PER_MINUTE_TARGET),
                note=NAGSTAMON,
            ),
        ],
    )


if __name__ == "__main__":
    main()
