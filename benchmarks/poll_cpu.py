"""CPU time of one poll whose answer is "304 Not Modified", end to end.

traywatch: the poller, the monitor (store, notification policy) and — unless --no-tray — the
tray controller on the offscreen Qt platform, one service polled again and again. Baseline,
measured in the same process in interleaved rounds: a bare httpx keep-alive client sending
the same conditional request and reading the answer. Both run on the same event loop (the
app's, ui/eventloop.py, when the tray is in; plain asyncio otherwise). The server is a
separate process, so its CPU is not counted; it also counts the TCP connections it accepted.

    .venv/bin/python benchmarks/poll_cpu.py [--polls 200] [--rounds 7] [--no-tray] [--src DIR]

`--src` runs another checkout's traywatch (e.g. main's, for a before/after)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "tests/providers/fixtures/statuspage" / "githubstatus-summary-all-operational.json"

SERVER = """
import http.server, sys
body = open(sys.argv[1], 'rb').read()
accepted = 0

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True  # as real web servers: no 40 ms delayed-ACK stall
    def do_GET(self):
        if self.path == '/_connections':
            answer = str(accepted - 1).encode()  # not this request's own
            self.send_response(200)
            self.send_header('Content-Length', str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        if self.headers.get('If-None-Match') == '"v1"':
            self.send_response(304)
            self.send_header('ETag', '"v1"')
            self.end_headers()
            return
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('ETag', '"v1"')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def get_request(self):
        global accepted
        accepted += 1
        return super().get_request()

server = Server(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def connections(base: str) -> int:
    with urllib.request.urlopen(base + "/_connections") as answer:
        return int(answer.read())


async def bare_httpx(base: str, polls: int) -> Callable[[], Awaitable[None]]:
    import httpx

    client = httpx.AsyncClient(
        limits=httpx.Limits(keepalive_expiry=900), headers={"Accept-Encoding": "gzip"}
    )
    url = base + "/bare/api/v2/summary.json"
    await client.get(url)

    async def run() -> None:
        for _ in range(polls):
            response = await client.get(url, headers={"If-None-Match": '"v1"'})
            assert response.status_code == 304

    return run


async def traywatch(base: str, polls: int, store_dir: Path, tray: bool) -> Any:
    from traywatch.config.schema import Config, ServiceConfig, Settings
    from traywatch.monitor import Monitor
    from traywatch.notify.base import RecordingNotifier
    from traywatch.store import HistoryStore

    config = Config(
        settings=Settings(timeout=10, interval=3600),
        services=(ServiceConfig(name="GitHub", url=base + "/tw", kind="statuspage"),),
    )
    store = HistoryStore(store_dir / "state.sqlite3")
    monitor = Monitor(config, store, RecordingNotifier())
    controller = None
    if tray:
        from traywatch.ui.tray import TrayController

        controller = TrayController(
            monitor, show_window=lambda: None, open_settings=lambda: None, quit_app=lambda: None
        )
    await monitor.start()
    assert monitor.poller is not None
    poller = monitor.poller
    state = poller.states["GitHub"]
    first = asyncio.Event()  # the first poll, a 200, by the monitor's own task
    monitor.subscribe(first.set)
    await first.wait()

    async def run() -> None:
        for _ in range(polls):
            snapshot = await poller.poll(state)
            assert snapshot.ok, snapshot.error

    return run, monitor, store, controller


async def measure(args: argparse.Namespace, base: str) -> dict[str, Any]:
    baseline = await bare_httpx(base, args.polls)
    with tempfile.TemporaryDirectory() as tmp:
        ours, monitor, store, controller = await traywatch(base, args.polls, Path(tmp), args.tray)
        connections_before = connections(base)
        refreshes_before = controller.refreshes if controller is not None else 0
        writes_before = store._db.total_changes  # older checkouts have no `writes`
        wal = Path(tmp) / "state.sqlite3-wal"
        wal_before = wal.stat().st_size if wal.exists() else 0
        await baseline()
        await ours()  # warm-up
        per_poll: dict[str, list[float]] = {"traywatch": [], "bare": []}
        for round_ in range(args.rounds):
            order = [("bare", baseline), ("traywatch", ours)]
            if round_ % 2:
                order.reverse()
            for name, run in order:
                started = time.process_time()
                await run()
                per_poll[name].append((time.process_time() - started) / args.polls * 1000)
        total_polls = args.polls * (args.rounds + 1)
        result = {
            "per_poll_ms": per_poll,
            "polls": total_polls,
            "new_connections": connections(base) - connections_before,
            "tray_refreshes": (controller.refreshes - refreshes_before) if controller else None,
            "store_rows_written": store._db.total_changes - writes_before,
            "wal_growth_kb": ((wal.stat().st_size if wal.exists() else 0) - wal_before) / 1024,
        }
        await monitor.stop()
        store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=200, help="polls per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-tray", dest="tray", action="store_false")
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 2 rounds of 20")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.polls, args.rounds = 20, 2
    sys.path.insert(0, str(args.src.resolve()))
    for name in [m for m in sys.modules if m == "traywatch" or m.startswith("traywatch.")]:
        del sys.modules[name]

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(PAYLOAD)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        if args.tray:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtWidgets import QApplication

            app = QApplication([])
            loop = app_loop(app)
            asyncio.set_event_loop(loop)
            result = loop.run_until_complete(measure(args, base))
            loop.close()
        else:
            result = asyncio.run(measure(args, base))
    finally:
        server.terminate()
        server.wait()

    import traywatch

    ours, bare = result["per_poll_ms"]["traywatch"], result["per_poll_ms"]["bare"]
    ratios = [a / b for a, b in zip(ours, bare, strict=True)]
    print(f"traywatch from {Path(traywatch.__file__).parent}")
    print(
        f"{args.rounds} interleaved rounds of {args.polls} polls (304), "
        f"{'with' if args.tray else 'without'} the tray (offscreen)"
    )
    for label, values in (("traywatch ms/poll", ours), ("bare httpx ms/poll", bare)):
        print(
            f"{label:22} median {statistics.median(values):.3f}"
            f"  (min {min(values):.3f}, max {max(values):.3f})"
        )
    print(
        f"{'ratio':22} median {statistics.median(ratios):.2f}"
        f"  (min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    print(
        f"over {result['polls']} polls: {result['new_connections']} new TCP connections, "
        f"{result['store_rows_written']} store rows written, "
        f"WAL +{result['wal_growth_kb']:.0f} KB, tray refreshes {result['tray_refreshes']}"
    )
    if os.environ.get("POLL_CPU_JSON"):
        print(json.dumps(result))
    if args.json:
        write_rows(args, result)


def app_loop(app: Any) -> asyncio.AbstractEventLoop:
    """The event loop the app runs on: its own (ui/eventloop.py), or qasync's for a
    checkout from before it had one."""
    try:
        from traywatch.ui.eventloop import TrayEventLoop
    except ImportError:
        import qasync

        return qasync.QEventLoop(app)  # type: ignore[no-any-return]
    return TrayEventLoop(app)


def write_rows(args: argparse.Namespace, result: dict[str, Any]) -> None:
    """The figures as scripts/bench tabulates them (benchmarks/benchlib.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchlib import Result, Row, Summary, at_most, write_json

    per_poll = result["per_poll_ms"]
    rows = [
        Row(
            "CPU per unchanged (304) poll",
            "ms",
            Summary.of(per_poll["traywatch"]),
            Summary.of(per_poll["bare"]),
            at_most(1),
            digits=2,
            note="the baseline alone is the HTTP request, as httpx sends it",
        ),
        Row(
            "CPU a whole poll saves against the request through httpx",
            "ms",
            Summary.of(
                [
                    bare - ours
                    for ours, bare in zip(per_poll["traywatch"], per_poll["bare"], strict=True)
                ]
            ),
            digits=2,
            note="per round: the bare httpx request minus traywatch's whole poll (its request "
            "goes the direct way, poller/direct.py)",
        ),
        Row(
            f"new TCP connections over {result['polls']} polls",
            "",
            Summary.of([result["new_connections"]]),
            target=at_most(1),
        ),
        Row(
            f"store rows written over {result['polls']} polls",
            "",
            Summary.of([result["store_rows_written"]]),
            target=at_most(0),
        ),
    ]
    if result["tray_refreshes"] is not None:
        rows.append(
            Row(
                f"tray refreshes over {result['polls']} polls",
                "",
                Summary.of([result["tray_refreshes"]]),
                target=at_most(0),
            )
        )
    write_json(
        Result(
            "poll_cpu",
            "a bare httpx keep-alive client sending the same conditional request, same loop",
            rows,
            setup=f"{args.rounds} interleaved rounds of {args.polls} polls of one service, "
            f"{'with' if args.tray else 'without'} the tray (offscreen)",
        ),
        args.json,
    )


if __name__ == "__main__":
    main()
