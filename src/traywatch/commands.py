"""The commands of `traywatch COMMAND` (the parser and the tray app's start are in
traywatch.cli). Nothing here imports Qt; heavy modules are imported inside the
commands."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from traywatch.cli import EXIT_DEGRADED, EXIT_MAJOR, EXIT_OK, EXIT_TIMEOUT, EXIT_UNKNOWN

if TYPE_CHECKING:
    from traywatch.config.schema import Config, ServiceConfig
    from traywatch.core.model import Severity, Snapshot
    from traywatch.core.runs_on import Answer
    from traywatch.poller.scheduler import ServiceState

log = logging.getLogger("traywatch")

# Everything printed to a terminal passes through terminal_text or terminal_json: pages
# and files could otherwise set the title, plant links or clear the screen.
_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")  # left unescaped by json.dumps and TOML writers


def terminal_text(text: str) -> str:
    from traywatch.core.text import without_controls

    return without_controls(text)


def terminal_json(data: object) -> str:
    """JSON with every control character escaped: the same data, inert on a terminal."""
    return _escape_raw_controls(json.dumps(data, ensure_ascii=False))


def _escape_raw_controls(text: str) -> str:
    # JSON and TOML basic strings read \u0085 as the character; json.dumps and the TOML
    # writer escape C0 themselves, and outside strings neither format has such characters.
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def error(message: str) -> None:
    print(terminal_text(message), file=sys.stderr)


class UsageError(Exception):
    pass


def stats_command() -> int:
    from traywatch.app import running_app_stats

    stats = running_app_stats()
    if stats is None:
        print("traywatch stats: traywatch is not running", file=sys.stderr)
        return 1
    print(json.dumps(stats, indent=2))
    return EXIT_OK


# -- check -----------------------------------------------------------------------------


def exit_status(severities: Sequence[Severity]) -> int:
    from traywatch.core.model import Severity

    if Severity.MAJOR_OUTAGE in severities:
        return EXIT_MAJOR
    if Severity.DEGRADED in severities or Severity.PARTIAL_OUTAGE in severities:
        return EXIT_DEGRADED
    if Severity.UNKNOWN in severities:
        return EXIT_UNKNOWN
    return EXIT_OK


def _config_for_check(args: argparse.Namespace) -> Config:
    from traywatch.config import load_config
    from traywatch.config.schema import Config, ServiceConfig, check_url
    from traywatch.providers import KINDS

    if args.url is None:
        if args.kind:
            raise UsageError("--kind goes with --url")
        config = load_config(args.config)
        if args.service:
            chosen = []
            for name in args.service:
                service = config.find(name)
                if service is None:
                    known = ", ".join(s.name for s in config.services) or "none"
                    raise UsageError(f"no service named '{name}' (configured: {known})")
                chosen.append(service)
            config = Config(settings=config.settings, services=tuple(chosen), path=config.path)
        return config
    if args.service:
        raise UsageError("--url and --service cannot be combined")
    problem = check_url(args.url)
    if problem:
        raise UsageError(f"--url: {problem}")
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(f"--kind: expected one of {', '.join(KINDS)}, got '{args.kind}'")
    settings = load_config(args.config).settings if args.config else Config().settings
    from urllib.parse import urlsplit

    name = urlsplit(args.url).hostname or args.url
    return Config(
        settings=settings, services=(ServiceConfig(name=name, url=args.url, kind=args.kind),)
    )


def check_command(args: argparse.Namespace) -> int:
    import asyncio

    config = _config_for_check(args)
    from traywatch.notify.them_or_me import answers

    states, offline = asyncio.run(_poll_once(config, record=args.url is None))
    checked_at = datetime.now(UTC)
    said = answers(
        [s.config for s in states], {s.name: s.snapshot for s in states}, offline=offline
    )
    if args.json:
        print(terminal_json(_check_json(states, offline, checked_at, said)))
    else:
        print(terminal_text(_check_table(states, offline, said)))
    return exit_status([s.snapshot.severity for s in states if s.snapshot is not None])


async def _poll_once(config: Config, *, record: bool) -> tuple[list[ServiceState], bool]:
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    fetcher = Fetcher(timeout=config.settings.timeout, max_connections=config.settings.concurrency)
    try:
        poller = Poller(config, fetcher)
        states = await poller.poll_all()
    finally:
        await fetcher.aclose()
    if record:
        _record(states)
    return states, poller.offline


def _record(states: Sequence[ServiceState]) -> None:
    import sqlite3

    from traywatch.store import HistoryStore, default_store_path

    path = default_store_path()
    try:
        store = HistoryStore(path)
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        _store_unusable(path, exc)
        return
    try:
        for state in states:
            if state.snapshot is not None:
                store.record(state.name, state.snapshot)
    except sqlite3.Error as exc:
        _store_unusable(path, exc)
    finally:
        store.close()


def _store_unusable(path: object, exc: Exception) -> None:
    log.warning("state store %s unusable, nothing recorded: %s", path, exc)
    error(
        f"traywatch: note: the history database {path} cannot be used ({exc}); "
        "this check was not recorded and the file was left as it is"
    )


def _check_json(
    states: Sequence[ServiceState],
    offline: bool,
    checked_at: datetime,
    said: Mapping[str, Answer],
) -> dict[str, Any]:
    from traywatch.core.serialize import snapshot_to_dict
    from traywatch.core.text import without_credentials

    services = []
    for state in states:
        assert state.snapshot is not None
        data = snapshot_to_dict(state.snapshot)
        services.append(
            {
                "name": state.name,
                "kind": state.kind,
                "kind_detected": state.kind_detected,
                "url": without_credentials(state.config.url),
                "severity": data["severity"],
                "summary": data["summary"],
                "error": data["error"],
                "components": data["components"],
                "incidents": data["incidents"],
                "maintenances": data["maintenances"],
            }
        )
        if state.name in said:  # an endpoint of yours: is it them or me?
            services[-1]["them_or_me"] = said[state.name].as_dict()
    return {"checked_at": checked_at.isoformat(), "offline": offline, "services": services}


def _check_table(states: Sequence[ServiceState], offline: bool, said: Mapping[str, Answer]) -> str:
    from traywatch.core.text import one_line

    lines = []
    if offline:
        lines.append("You are offline: no status page could be reached.\n")
    rows = [("SERVICE", "STATE", "SUMMARY")]
    details: dict[int, list[str]] = {}
    for state in states:
        assert state.snapshot is not None
        snapshot = state.snapshot
        name = state.name
        if state.kind_detected:
            name += f" ({state.kind}, detected)"
        rows.append((name, snapshot.severity.label, one_line(_said(snapshot), 90)))
        notes = []
        for incident in snapshot.active_incidents:
            since = f", since {_short_time(incident.started_at)}" if incident.started_at else ""
            notes.append(
                f"  ! {one_line(incident.title, 80)} [{incident.severity.label.lower()},"
                f" {incident.status}{since}]"
            )
        for maintenance in snapshot.maintenances:
            if maintenance.active:
                notes.append(f"  ~ Maintenance in progress: {one_line(maintenance.title, 80)}")
        answer = said.get(state.name)
        if answer is not None and answer.text:
            notes.append(f"  ? {one_line(answer.text, 120)}")
        details[len(rows) - 1] = notes
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for index, row in enumerate(rows):
        lines.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip())
        lines.extend(details.get(index, []))
    return "\n".join(lines)


def _short_time(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M %Z")


# -- wait ------------------------------------------------------------------------------

MIN_WAIT_INTERVAL = 5.0


def wait_command(args: argparse.Namespace) -> int:
    from traywatch.config import load_config

    config = load_config(args.config)
    service = config.find(args.name)
    if service is None:
        known = ", ".join(s.name for s in config.services) or "none"
        raise UsageError(f"no service named '{args.name}' (configured: {known})")
    interval = args.interval if args.interval is not None else config.interval_for(service)
    if interval < MIN_WAIT_INTERVAL:
        raise UsageError(f"--interval: expected at least {MIN_WAIT_INTERVAL:g} seconds")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout: expected a positive number of seconds")
    import asyncio

    return asyncio.run(_wait(config, service, interval, args.timeout))


async def _wait(
    config: Config, service: ServiceConfig, interval: float, give_up_after: float | None
) -> int:
    import asyncio

    from traywatch.config.schema import Config
    from traywatch.core.model import Severity
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    name = service.name
    single = Config(settings=config.settings, services=(service,), path=config.path)
    fetcher = Fetcher(timeout=config.settings.timeout)
    poller = Poller(single, fetcher, min_interval=MIN_WAIT_INTERVAL)
    state = poller.states[name]
    try:
        async with asyncio.timeout(give_up_after):
            while True:
                snapshot = await poller.poll(state)
                line = f"{name}: {snapshot.severity.label} — {_said(snapshot)}"
                print(f"{datetime.now():%H:%M:%S} {terminal_text(line)}", flush=True)
                if snapshot.severity in (Severity.OPERATIONAL, Severity.MAINTENANCE):
                    return EXIT_OK
                await asyncio.sleep(interval)
    except TimeoutError:
        error(f"gave up after {give_up_after:g} s: {name} is not operational yet")
        return EXIT_TIMEOUT
    finally:
        await fetcher.aclose()


# -- replay ----------------------------------------------------------------------------


def replay_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from traywatch.config import load_config
    from traywatch.providers import KINDS
    from traywatch.replay import replay

    if args.kind not in KINDS:
        raise UsageError(f"--kind: expected one of {', '.join(KINDS)}, got '{args.kind}'")
    config = load_config(args.config)
    interval = args.interval if args.interval is not None else config.settings.interval
    if interval <= 0:
        raise UsageError("--interval: expected a positive number of seconds")
    out = sys.stdout
    for notification in replay(
        Path(args.directory), kind=args.kind, name=args.name, interval=interval, config=config
    ):
        out.write(terminal_json(notification.as_dict()) + "\n")
    out.flush()
    return EXIT_OK


# -- catalog and add -------------------------------------------------------------------


def catalog_command(args: argparse.Namespace) -> int:
    from traywatch import catalog

    if args.category and args.category.casefold() not in (
        c.casefold() for c in catalog.categories()
    ):
        raise UsageError(
            f"--category: expected one of {', '.join(catalog.categories())}, got '{args.category}'"
        )
    found = catalog.search(args.search, args.category)
    if args.json:
        print(json.dumps([e.as_dict() for e in found], ensure_ascii=False))
        return EXIT_OK
    if not found:
        error("No platform in the catalog matches.")
        return 1
    id_width = max(len(e.id) for e in found)
    name_width = max(len(e.name) for e in found)
    for entry in found:
        print(f"{entry.id:<{id_width}}  {entry.name:<{name_width}}  {entry.kind:<12}  {entry.url}")
    return EXIT_OK


def add_command(args: argparse.Namespace) -> int:
    from traywatch import catalog
    from traywatch.config import Config, load_config, write_config
    from traywatch.config.store import resolve_config_path

    entry = catalog.find(args.entry)
    if entry is None:
        import difflib

        ids = [e.id for e in catalog.entries()]
        close = difflib.get_close_matches(args.entry.lower(), ids, n=5, cutoff=0.7)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise UsageError(f"no catalog entry '{args.entry}'{hint}; see traywatch catalog")
    path, named = resolve_config_path(args.config)
    # A new file the user named holds just this platform; a first config in the usual
    # place keeps the default watchlist the user was watching until now.
    config = Config(path=path) if named and not path.exists() else load_config(args.config)
    if any(
        s.url.rstrip("/") == entry.url or s.name.casefold() == entry.name.casefold()
        for s in config.services
    ):
        print(f"{entry.name} is already watched.")
        return EXIT_OK
    updated = Config(
        settings=config.settings,
        services=(*config.services, entry.service()),
        notifications=config.notifications,
        path=path,
    )
    write_config(updated, path)
    print(f"Added {entry.name} ({entry.kind}, {entry.url}) to {path}.")
    if entry.kind in ("aws", "azure"):
        print(f'Tip: add region = "…" to its entry in {path}: without it every region counts.')
    return EXIT_OK


# -- secret ----------------------------------------------------------------------------


def secret_command(args: argparse.Namespace) -> int:
    """The value is read from standard input (or a prompt), never from the command line,
    where other users and the shell history could see it."""
    from traywatch.config import secrets

    if args.action == "backend":
        chosen = secrets.backend()
        safety = "safe" if chosen.secure else "NOT safe" if chosen.usable else "unusable"
        print(terminal_text(f"Secrets are kept in {chosen.name} ({safety})."))
        print(terminal_text(f"keyring: {chosen.detail}"))
        return EXIT_OK if chosen.usable else 1
    if not args.name:
        raise UsageError(f"secret {args.action}: NAME is required")
    if args.action == "delete":
        found = secrets.delete_secret(args.name)
        print(f"Deleted '{args.name}'." if found else f"'{args.name}' was not stored.")
        return EXIT_OK
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"Secret for '{args.name}': ")
    else:
        value = sys.stdin.readline().rstrip("\n")
    if not value:
        raise UsageError("secret set: the secret is empty")
    chosen = secrets.set_secret(args.name, value, allow_insecure=args.allow_plaintext)
    print(terminal_text(f"Stored '{args.name}' in {chosen.name}."))
    return EXIT_OK


# -- export and import -------------------------------------------------------------------


def export_command(args: argparse.Namespace) -> int:
    """The watchlist only: services refer to secrets by name; values stay in the keyring,
    and credentials written in addresses are left out."""
    from pathlib import Path

    from traywatch.config import load_config
    from traywatch.config.store import export_watchlist

    config = load_config(args.config)
    if args.output:
        export_watchlist(config, Path(args.output))
        print(f"Exported {len(config.services)} services to {args.output}.")
    else:
        sys.stdout.write(_escape_raw_controls(export_watchlist(config)))
    return EXIT_OK


def import_command(args: argparse.Namespace) -> int:
    from traywatch.config import Config, load_config, write_config
    from traywatch.config.store import resolve_config_path

    incoming = load_config(args.file)  # validated like any config: a bad file changes nothing
    path, named = resolve_config_path(args.config)
    config = Config(path=path) if named and not path.exists() else load_config(args.config)
    known = {s.name.casefold() for s in config.services}
    added = [s for s in incoming.services if s.name.casefold() not in known]
    skipped = len(incoming.services) - len(added)
    write_config(
        Config(
            settings=config.settings,
            services=(*config.services, *added),
            notifications=config.notifications,
            path=path,
        ),
        path,
    )
    note = f" ({skipped} already watched)" if skipped else ""
    print(f"Imported {len(added)} services into {path}{note}.")
    return EXIT_OK


def autostart_command(args: argparse.Namespace) -> int:
    from traywatch import autostart

    if args.action == "on":
        print(f"traywatch will start at login ({autostart.enable()}).")
    elif args.action == "off":
        autostart.disable()
        print("traywatch will not start at login.")
    else:
        print("on" if autostart.is_enabled() else "off")
    return EXIT_OK


def _said(snapshot: Snapshot) -> str:
    """The summary, without a repeat of the state ("Could not check — HTTP 502", not
    "Could not check — Could not check: HTTP 502")."""
    prefix = f"{snapshot.severity.label}: "
    return snapshot.summary.removeprefix(prefix) if snapshot.error else snapshot.summary
