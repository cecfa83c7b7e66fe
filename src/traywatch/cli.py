"""Command line: the tray app (no command), `traywatch check`, `traywatch wait`, ...

Only the parser lives here, so that starting the tray app, `--version` and `--help`
load and compile little (measured: the commands took 8 ms to compile before the tray
icon of a source checkout); the commands are in traywatch.commands. Nothing here
imports Qt."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from typing import NoReturn

from traywatch import __version__

EXIT_OK = 0
EXIT_DEGRADED = 1
EXIT_MAJOR = 2
EXIT_UNKNOWN = 3  # also: bad arguments, bad config
EXIT_TIMEOUT = 124


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # Monitoring plugins use 3 for "could not run as asked"; 2 means a major outage.
        self.exit(EXIT_UNKNOWN, f"{self.prog}: error: {message}\n")


def _seconds(text: str) -> float:
    """A number of seconds from the command line: finite, or argparse explains."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number of seconds, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--config", metavar="PATH", help="config file (default: $TRAYWATCH_CONFIG or the user's)"
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")

    parser = _Parser(
        prog="traywatch",
        description="Watch the status pages of the platforms you depend on.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"traywatch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check", parents=[common], help="poll once and print the state of every service"
    )
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument(
        "--service", action="append", metavar="NAME", help="only this service (repeatable)"
    )
    check.add_argument("--url", help="check one status page, without any config")
    check.add_argument("--kind", help="format of --url (detected when left out)")

    wait = commands.add_parser(
        "wait", parents=[common], help="poll a service until it is operational (exit 0)"
    )
    wait.add_argument("name", metavar="NAME", help="a service name from the config")
    wait.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="give up after this long (exit 124)"
    )
    wait.add_argument(
        "--interval",
        type=_seconds,
        metavar="SECONDS",
        help="seconds between polls (default: the service's interval; at least 5)",
    )
    commands.add_parser(
        "refresh", parents=[common], help="ask the running tray app to check everything now"
    )
    commands.add_parser(
        "settings", parents=[common], help="open the running tray app's settings window"
    )
    commands.add_parser(
        "stats",
        parents=[common],
        help="print what the running tray app costs (memory, tasks, threads) as JSON",
    )

    secret = commands.add_parser(
        "secret", parents=[common], help="store or delete a token or password in the OS keyring"
    )
    secret.add_argument("action", choices=("set", "delete", "backend"))
    secret.add_argument("name", nargs="?", metavar="NAME", help="the name services refer to")
    secret.add_argument(
        "--allow-plaintext",
        action="store_true",
        help="accept a keyring backend that keeps secrets in a plain file (less safe)",
    )

    autostart = commands.add_parser(
        "autostart", parents=[common], help="start traywatch at login (on, off or status)"
    )
    autostart.add_argument("action", choices=("on", "off", "status"))

    export = commands.add_parser(
        "export", parents=[common], help="print the watchlist as TOML (secrets never included)"
    )
    export.add_argument("--output", metavar="FILE", help="write to FILE instead")
    importer = commands.add_parser(
        "import", parents=[common], help="add the services of a TOML watchlist to the config"
    )
    importer.add_argument("file", metavar="FILE")

    catalog = commands.add_parser(
        "catalog", parents=[common], help="list the built-in catalog of platforms"
    )
    catalog.add_argument("--search", default="", metavar="TEXT", help="words to look for")
    catalog.add_argument("--category", default="", metavar="C", help="only this category")
    catalog.add_argument("--json", action="store_true", help="print a JSON array")

    add = commands.add_parser(
        "add", parents=[common], help="add a catalog platform to the config by its id"
    )
    add.add_argument(
        "entry", metavar="ID", help="a catalog id, e.g. heroku (see traywatch catalog)"
    )

    replay = commands.add_parser(
        "replay",
        parents=[common],
        help="print the notifications recorded history would have produced (JSON lines)",
    )
    replay.add_argument("directory", metavar="DIR", help="recorded responses named by UTC time")
    replay.add_argument("--kind", required=True, help="format of the recorded responses")
    replay.add_argument("--name", required=True, help="the service's name")
    replay.add_argument(
        "--interval", type=_seconds, metavar="SECONDS", help="poll interval (default: the app's)"
    )
    return parser


def plain_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a start of the tray app (`traywatch [-v] [--config PATH]`, as
    autostart and launchers start it), read without building the parser: that took
    ~11 ms before the tray icon (measured). None for anything else, which the parser
    reads (and explains when wrong)."""
    config: str | None = None
    verbose = False
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word in ("-v", "--verbose"):
            verbose = True
        elif word == "--config" and rest and not rest[0].startswith("-"):
            config = rest.pop(0)
        elif word.startswith("--config=") and len(word) > len("--config="):
            config = word.removeprefix("--config=")
        else:
            return None
    return argparse.Namespace(command=None, config=config, verbose=verbose)


def main(argv: Sequence[str] | None = None) -> int:
    args = plain_start(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    from traywatch.logging_setup import setup_logging

    log_file = setup_logging(verbose=args.verbose)
    if args.command is None:
        from traywatch.display import problem

        if reason := problem():  # before Qt, which would abort the process
            print(f"traywatch: {reason}", file=sys.stderr)
            return 1
        from traywatch.app import run_app

        return run_app(args.config, log_file)
    from traywatch.commands import (
        UsageError,
        add_command,
        autostart_command,
        catalog_command,
        check_command,
        error,
        export_command,
        import_command,
        replay_command,
        secret_command,
        stats_command,
        wait_command,
    )
    from traywatch.core.errors import ConfigError, TraywatchError

    try:
        if args.command == "check":
            return check_command(args)
        if args.command == "wait":
            return wait_command(args)
        if args.command == "replay":
            return replay_command(args)
        if args.command == "autostart":
            return autostart_command(args)
        if args.command == "export":
            return export_command(args)
        if args.command == "import":
            return import_command(args)
        if args.command == "secret":
            return secret_command(args)
        if args.command == "catalog":
            return catalog_command(args)
        if args.command == "add":
            return add_command(args)
        if args.command == "stats":
            return stats_command()
        if args.command in ("refresh", "settings"):
            from traywatch.app import tell_running_app

            if tell_running_app(args.command):
                return EXIT_OK
            error(f"traywatch {args.command}: traywatch is not running")
            return 1
    except ConfigError as exc:
        error(f"traywatch: config error: {exc}")
        return EXIT_UNKNOWN
    except (UsageError, TraywatchError) as exc:
        error(f"traywatch {args.command}: error: {exc}")
        return EXIT_UNKNOWN
    build_parser().error(f"unknown command {args.command}")
