"""Would HTTP/2 make polls cheaper? httpx over HTTP/1.1 against httpx over HTTP/2.

Both against the same TLS server on loopback (hypercorn in a separate process, which speaks
both and lets ALPN choose), in interleaved rounds in one process:

- CPU per "304 Not Modified" poll of one page on a kept-alive connection;
- CPU and wall time of a cycle of N different pages of one host (200, 66 KB JSON), at the
  given concurrency: HTTP/2 multiplexes them on one connection.

traywatch does not depend on `h2`; run this from a scratch venv that has the app's httpx
plus `h2` and `hypercorn`:

    python -m venv /tmp/h2v && /tmp/h2v/bin/pip install httpx==0.28.1 h2 hypercorn
    /tmp/h2v/bin/python benchmarks/http2_poll.py [--polls 200] [--pages 500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"

SERVER = """
import asyncio, sys
from hypercorn.asyncio import serve
from hypercorn.config import Config

body = open(sys.argv[1], 'rb').read()

async def app(scope, receive, send):
    if scope['type'] != 'http':
        return
    headers = dict(scope['headers'])
    if headers.get(b'if-none-match') == b'"v1"':
        await send({'type': 'http.response.start', 'status': 304, 'headers': [(b'etag', b'"v1"')]})
        await send({'type': 'http.response.body', 'body': b''})
        return
    await send({'type': 'http.response.start', 'status': 200, 'headers': [
        (b'content-type', b'application/json'), (b'etag', b'"v1"'),
        (b'content-length', str(len(body)).encode())]})
    await send({'type': 'http.response.body', 'body': body})

config = Config()
config.bind = ['127.0.0.1:' + sys.argv[2]]
config.certfile, config.keyfile = sys.argv[3], sys.argv[4]
config.alpn_protocols = ['h2', 'http/1.1']
config.keep_alive_timeout = 600
config.keep_alive_max_requests = 10**9
config.loglevel = 'WARNING'
asyncio.run(serve(app, config))
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def main_async(args: argparse.Namespace, base: str, cert: str) -> None:
    import httpx

    clients = {
        name: httpx.AsyncClient(
            verify=cert,
            http2=name == "HTTP/2",
            limits=httpx.Limits(
                max_connections=args.concurrency,
                max_keepalive_connections=args.concurrency,
                keepalive_expiry=600,
            ),
        )
        for name in ("HTTP/1.1", "HTTP/2")
    }
    for name, client in clients.items():
        for _ in range(50):  # the server up
            try:
                answer = await client.get(base + "/page")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
        print(f"{name}: server answered with {answer.http_version}")

    async def polls(client: httpx.AsyncClient) -> None:
        for _ in range(args.polls):
            answer = await client.get(base + "/page", headers={"If-None-Match": '"v1"'})
            assert answer.status_code == 304

    async def cycle(client: httpx.AsyncClient) -> None:
        gate = asyncio.Semaphore(args.concurrency)

        async def one(i: int) -> None:
            async with gate:
                answer = await client.get(f"{base}/p{i}")
                assert answer.status_code == 200

        await asyncio.gather(*(one(i) for i in range(args.pages)))

    poll_ms: dict[str, list[float]] = {n: [] for n in clients}
    cycle_cpu: dict[str, list[float]] = {n: [] for n in clients}
    cycle_wall: dict[str, list[float]] = {n: [] for n in clients}
    for client in clients.values():  # warm-up
        await polls(client)
        await cycle(client)
    for round_ in range(args.rounds):
        names = list(clients) if round_ % 2 == 0 else list(reversed(clients))
        for name in names:
            started = time.process_time()
            await polls(clients[name])
            poll_ms[name].append((time.process_time() - started) / args.polls * 1000)
        for name in names:
            cpu, wall = time.process_time(), time.perf_counter()
            await cycle(clients[name])
            cycle_cpu[name].append(time.process_time() - cpu)
            cycle_wall[name].append(time.perf_counter() - wall)
    for client in clients.values():
        await client.aclose()

    def show(label: str, values: dict[str, list[float]], unit: str) -> None:
        one, two = values["HTTP/1.1"], values["HTTP/2"]
        ratios = [b / a for a, b in zip(one, two, strict=True)]
        print(
            f"{label:34} HTTP/1.1 {statistics.median(one):.3f} {unit}"
            f"  HTTP/2 {statistics.median(two):.3f} {unit}"
            f"  ratio HTTP/2 / HTTP/1.1 {statistics.median(ratios):.2f}"
            f" ({min(ratios):.2f}-{max(ratios):.2f})"
        )

    print(f"{args.rounds} interleaved rounds (median, ratio spread)")
    show("CPU per 304 poll", poll_ms, "ms")
    show(f"CPU, cycle of {args.pages} pages", cycle_cpu, "s")
    show(f"wall, cycle of {args.pages} pages", cycle_wall, "s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = f"{tmp}/cert.pem", f"{tmp}/key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1"),
                *("-addext", "subjectAltName=IP:127.0.0.1"),
            ],
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(PAYLOAD), str(port), cert, key]
        )
        try:
            asyncio.run(main_async(args, f"https://127.0.0.1:{port}", cert))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
