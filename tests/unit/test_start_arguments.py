"""The tray app's start reads `traywatch [-v] [--config PATH]` without building the
parser; whatever it reads must be what the parser reads, and anything else goes to
the parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traywatch.cli import build_parser, plain_start

WORDS = st.sampled_from(
    [
        "-v",
        "--verbose",
        "--config",
        "--config=",
        "--config=a.toml",
        "a.toml",
        "-",
        "--conf",
        "check",
        "--",
        "--version",
        "b c.toml",
        "-x.toml",
    ]
)


@given(st.lists(WORDS, max_size=5))
def test_a_plain_start_is_read_as_the_parser_reads_it(argv: list[str]) -> None:
    fast = plain_start(argv)
    if fast is None:
        return  # the parser reads it, as before
    full = build_parser().parse_args(argv)
    assert (fast.command, fast.config, fast.verbose) == (full.command, full.config, full.verbose)


@pytest.mark.parametrize(
    ("argv", "config", "verbose"),
    [
        ([], None, False),
        (["-v"], None, True),
        (["--config", "my config.toml"], "my config.toml", False),
        (["--verbose", "--config=x.toml"], "x.toml", True),
    ],
)
def test_the_usual_starts_skip_the_parser(
    argv: list[str], config: str | None, verbose: bool
) -> None:
    read = plain_start(argv)
    assert read is not None
    assert (read.command, read.config, read.verbose) == (None, config, verbose)


@pytest.mark.parametrize(
    "argv", [["check"], ["--config"], ["--config", "-v"], ["--conf", "x"], ["--version"], ["-h"]]
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert plain_start(argv) is None
