"""traywatch(1), written from the command line's own definition (traywatch.cli), so
the man page never drifts from `traywatch --help`.

Usage: python packaging/debian/make_manpage.py > traywatch.1"""

from __future__ import annotations

import argparse
import re

from changelog import releases

from traywatch import __version__
from traywatch.cli import build_parser

DESCRIPTION = """\
traywatch watches the public status pages of the cloud platforms you depend on, and \
endpoints of your own. Started without a command, it is a tray app: its icon changes \
when something degrades and desktop notifications tell the story of an incident in a \
few messages. With a command it is a checker for terminals and scripts."""

EXIT_STATUS = [
    ("0", "everything operational or in maintenance"),
    ("1", "some service is degraded or has a partial outage (and none a major outage)"),
    ("2", "some service has a major outage"),
    ("3", "some service could not be checked; also bad arguments or a bad config"),
    ("124", "wait gave up"),
]

FILES = [
    ("~/.config/traywatch/config.toml", "the watchlist and settings"),
    ("~/.local/share/traywatch/state.sqlite3", "what traywatch saw and notified"),
    ("~/.local/state/traywatch/log/traywatch.log", "the log, rotated at 1 MB"),
    ("~/.config/autostart/io.github.traywatch.Traywatch.desktop", "start at login"),
]


def text(value: str) -> str:
    """Plain text made safe for roff."""
    value = value.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", value, flags=re.MULTILINE)


def option(action: argparse.Action) -> str:
    if not action.option_strings:
        if action.choices:
            return "|".join(f"\\fB{text(str(c))}\\fR" for c in action.choices)
        return f"\\fI{text(action.metavar or action.dest)}\\fR"
    names = ", ".join(f"\\fB{text(o)}\\fR" for o in action.option_strings)
    if action.nargs == 0:
        return names
    return f"{names} \\fI{text(action.metavar or action.dest.upper())}\\fR"


def options(parser: argparse.ArgumentParser, skip: set[str]) -> list[str]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest in skip:
            continue
        out += [".TP", option(action), text(action.help or "")]
    return out


def main() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    date = releases()[0][1].strftime("%Y-%m-%d")
    lines = [
        f'.TH TRAYWATCH 1 "{date}" "traywatch {__version__}" "User Commands"',
        ".SH NAME",
        "traywatch \\- status of the platforms you depend on, in the tray",
        ".SH SYNOPSIS",
        ".B traywatch",
        "[\\fIOPTIONS\\fR]",
        ".br",
        ".B traywatch",
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]",
        ".SH DESCRIPTION",
        text(DESCRIPTION),
        ".SH OPTIONS",
        *options(parser, skip=set()),
        ".SH COMMANDS",
        "Every command also takes \\fB\\-\\-config\\fR and \\fB\\-v\\fR.",
    ]
    shared = {"help", "config", "verbose"}
    for choice in commands._choices_actions:
        sub = commands.choices[choice.dest]
        usage = " ".join(sub.format_usage().removeprefix("usage: ").split())
        lines += [f'.SS "{text(usage)}"', text(choice.help or ""), *options(sub, skip=shared)]
    lines += [".SH EXIT STATUS"]
    for code, meaning in EXIT_STATUS:
        lines += [".TP", f"\\fB{code}\\fR", text(meaning)]
    lines += [
        ".SH ENVIRONMENT",
        ".TP",
        "\\fBTRAYWATCH_CONFIG\\fR",
        "the config file to use instead of the user's",
        ".SH FILES",
    ]
    for path, meaning in FILES:
        lines += [".TP", f"\\fI{text(path)}\\fR", text(meaning)]
    lines += [
        ".SH NOTES",
        text(
            "Secrets (tokens, passwords of your own endpoints) are kept in the system keyring "
            "only. Where there is no system tray, the tray app shows its window instead."
        ),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
