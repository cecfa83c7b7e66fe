"""One full poll cycle of N services served by a loopback server.

Measures, in one run: wall time of the cycle, CPU time of the polling process,
peak RSS against an empty asyncio loop measured the same way, and the longest
stall of the event loop (a 10 ms ticker measuring its own lateness).

    .venv/bin/python benchmarks/poll_cycle.py [--services 500] [--concurrency 32]
        [--runs 3] [--before DIR]

Every run is on the event loop the app runs on (Qt's, through qasync, offscreen):
POLL_CYCLE_LOOP=asyncio runs them on plain asyncio instead.

Runs are interleaved (bare httpx, traywatch, and with --before another checkout's
traywatch, e.g. main's src, in a rotating order) so that a loaded machine weighs on all
of them alike; the summary gives medians over runs and the per-run ratios' spread.

Each service gets its own URL; the body is a real GitHub summary.json of ~66 KB
(sent gzip-compressed, as status pages do)."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = (
    ROOT
    / "tests/providers/fixtures/statuspage"
    / "githubstatus-summary-major-critical-impact-mixed-components.json"
)

SERVER = """
import gzip, http.server, sys
body = gzip.compress(open(sys.argv[1], 'rb').read())

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True  # as real web servers: no 40 ms delayed-ACK stall
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Encoding', 'gzip')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

server = Server(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class StallMeter:
    """A 10 ms ticker; its worst lateness is the longest time the loop was blocked. On a
    busy machine that includes time the OS gave to other processes, so the ticker also
    records the CPU time the loop's thread spent between two ticks (`worst_busy`): the
    longest stretch of our own work that kept the loop from answering."""

    def __init__(self, period: float = 0.010) -> None:
        self.period = period
        self.worst = 0.0
        self.worst_busy = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        expected = loop.time() + self.period
        cpu = time.thread_time()
        while True:
            await asyncio.sleep(self.period)
            now, now_cpu = loop.time(), time.thread_time()
            self.worst = max(self.worst, now - expected)
            self.worst_busy = max(self.worst_busy, now_cpu - cpu)
            expected, cpu = now + self.period, now_cpu

    def __enter__(self) -> StallMeter:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def empty_loop(seconds: float) -> dict[str, Any]:
    with StallMeter() as meter:
        await asyncio.sleep(seconds)
    return {"peak_rss_mib": peak_rss_mib(), "stall_ms": [meter.worst * 1000]}


async def poll_cycles(port: int, services: int, concurrency: int, rounds: int) -> dict[str, Any]:
    """`rounds` full cycles of traywatch's poller in one process: the first is cold."""
    sys.path.insert(0, os.environ.get("POLL_CYCLE_SRC", str(ROOT / "src")))
    from traywatch.config.schema import Config, ServiceConfig, Settings
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    config = Config(
        settings=Settings(concurrency=concurrency, timeout=30),
        services=tuple(
            ServiceConfig(name=f"s{i}", url=f"http://127.0.0.1:{port}/s{i}", kind="statuspage")
            for i in range(services)
        ),
    )
    fetcher = Fetcher(timeout=30, max_connections=concurrency)
    poller = Poller(config, fetcher)

    async def cycle() -> None:
        states = await poller.poll_all()
        failed = [s for s in states if s.snapshot is None or s.snapshot.error]
        if failed:
            raise SystemExit(f"{len(failed)} polls failed, e.g. {failed[0].snapshot}")

    try:
        return await _measure(cycle, rounds)
    finally:
        await fetcher.aclose()


async def bare_httpx_cycles(
    port: int, services: int, concurrency: int, rounds: int
) -> dict[str, Any]:
    """The floor: the same requests with a bare httpx client, bodies read, nothing parsed."""
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def fetch(i: int) -> None:
            async with semaphore:
                response = await client.get(f"http://127.0.0.1:{port}/s{i}")
                response.raise_for_status()

        async def cycle() -> None:
            await asyncio.gather(*(fetch(i) for i in range(services)))

        return await _measure(cycle, rounds)


async def _measure(cycle: Callable[[], Awaitable[None]], rounds: int) -> dict[str, Any]:
    walls, cpus, stalls, busy = [], [], [], []
    for _ in range(rounds):
        cpu_before = cpu_seconds()
        with StallMeter() as meter:
            started = time.perf_counter()
            await cycle()
            walls.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - cpu_before)
        stalls.append(meter.worst * 1000)
        busy.append(meter.worst_busy * 1000)
    return {
        "wall_s": walls,
        "cpu_s": cpus,
        "stall_ms": stalls,
        "busy_ms": busy,
        "peak_rss_mib": peak_rss_mib(),
    }


def run_on_loop(work: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """`work` on the event loop the app runs on — qasync's with traywatch's scheduling
    (ui/eventloop.py), Qt offscreen; qasync's own for a checkout from before that — with
    the app's garbage collection (ui/collector.py), or on plain asyncio with
    POLL_CYCLE_LOOP=asyncio."""
    if os.environ.get("POLL_CYCLE_LOOP") == "asyncio":
        return asyncio.run(work)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, os.environ.get("POLL_CYCLE_SRC", str(ROOT / "src")))
    from PySide6.QtWidgets import QApplication

    from traywatch.ui.collector import GuiThreadCollector

    app = QApplication([])
    try:
        from traywatch.ui.eventloop import TrayEventLoop

        loop: asyncio.AbstractEventLoop = TrayEventLoop(app)
    except ImportError:
        import qasync

        loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector()  # the app's garbage collection: on a timer, not anywhere
    try:
        return loop.run_until_complete(work)
    finally:
        collector.stop()
        loop.close()


def child(mode: str, *args: str, src: str | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if src is not None:
        env["POLL_CYCLE_SRC"] = src
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return dict(json.loads(out.stdout))


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4, help="cycles per process (first is cold)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs of each")
    parser.add_argument("--before", help="another checkout's src directory, run alongside")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        mode, *rest = args.child
        if mode == "empty":
            result = run_on_loop(empty_loop(float(rest[0])))
        else:
            run = poll_cycles if mode == "traywatch" else bare_httpx_cycles
            result = run_on_loop(run(*(int(x) for x in rest)))  # type: ignore[arg-type]
        print(json.dumps(result))
        return

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(PAYLOAD)], stdout=subprocess.PIPE, text=True
    )
    contenders: list[tuple[str, str, str | None]] = [
        ("bare httpx", "bare", None),
        ("traywatch", "traywatch", None),
    ]
    if args.before:
        contenders.append(("before", "traywatch", str(Path(args.before).resolve())))
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in contenders}
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        sizes = (str(port), str(args.services), str(args.concurrency), str(args.rounds))
        for run in range(args.runs):
            shift = run % len(contenders)
            for name, mode, src in contenders[shift:] + contenders[:shift]:
                results[name].append(child(mode, *sizes, src=src))
        seconds = sum(results["traywatch"][0]["wall_s"])
        empty = child("empty", str(seconds))
    finally:
        server.terminate()
        server.wait()

    body = PAYLOAD.read_bytes()
    print(
        f"{args.services} services, concurrency {args.concurrency}, "
        f"{args.rounds} cycles per process, {args.runs} interleaved runs, "
        f"{len(body) / 1024:.0f} KB summary.json ({len(gzip.compress(body)) / 1024:.0f} KB gzip)"
    )
    print("median over runs (min-max); ratio: to bare httpx in the same run")
    bare = results["bare httpx"]

    def later(result: dict[str, Any], key: str) -> float:
        return statistics.median(result[key][1:])

    measures: list[tuple[str, Callable[[dict[str, Any]], float]]] = [
        ("wall, first (cold) cycle s", lambda r: r["wall_s"][0]),
        ("wall, later cycles s", lambda r: later(r, "wall_s")),
        ("CPU, later cycles s", lambda r: later(r, "cpu_s")),
        ("longest loop stall ms", lambda r: max(r["stall_ms"])),
        ("longest CPU between ticks ms", lambda r: max(r["busy_ms"])),
        ("peak RSS MiB", lambda r: r["peak_rss_mib"]),
    ]
    for label, measure in measures:
        print(label)
        for name, _, _ in contenders:
            values = [measure(r) for r in results[name]]
            line = f"  {name:12}{spread(values):>24}"
            if name != "bare httpx":
                ratios = [measure(r) / measure(b) for r, b in zip(results[name], bare, strict=True)]
                line += f"   ratio {spread(ratios)}"
            print(line)
    print(
        f"empty loop: stall {empty['stall_ms'][0]:.1f} ms, peak RSS {empty['peak_rss_mib']:.1f} MiB"
    )
    print("targets: a cycle < 2 s, stall < 20 ms, RSS growth over an empty loop < 60 MiB")


if __name__ == "__main__":
    main()
