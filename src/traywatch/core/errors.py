"""Typed errors. Transport errors are translated into these at one boundary
(poller/http.py); nothing downstream inspects message text to decide anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class TraywatchError(Exception):
    """Base of every error traywatch raises on purpose. str() is a short human reason."""


class FetchError(TraywatchError):
    """The page could not be fetched."""


class FetchTimeout(FetchError):
    pass


class NetworkError(FetchError):
    """DNS, connect, no route, reset: the network, not the page, failed.

    When every service fails this way at once, we are offline."""


class ConnectionRefused(FetchError):
    """The host answered but nothing listens: the network itself works."""


class ConnectionLost(FetchError):
    """The server was reached but the exchange broke (reset, bad HTTP)."""


class HTTPStatusError(FetchError):
    def __init__(self, status_code: int, message: str | None = None) -> None:
        super().__init__(message or f"HTTP {status_code}")
        self.status_code = status_code


class RateLimited(HTTPStatusError):
    def __init__(self, status_code: int, retry_after: float | None) -> None:
        suffix = f", retry after {retry_after:.0f} s" if retry_after is not None else ""
        super().__init__(status_code, f"HTTP {status_code} (rate limited{suffix})")
        self.retry_after = retry_after


class TooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class ParseError(TraywatchError):
    """The body arrived but is not what the provider understands."""


class NotDetected(TraywatchError):
    """No supported status API answered at a URL."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with a configuration, attached to the field it is about, so
    that a form can show it next to that field without reading the message."""

    table: str  # "settings", "notifications", "services"; "" for the file as a whole
    key: str | None  # the option's name; None for the table or entry as a whole
    message: str  # what was expected, in plain words
    index: int | None = None  # which [[services]] entry

    @property
    def where(self) -> str:
        """ "services[2].url", "settings.interval", "services[0]"."""
        where = self.table + (f"[{self.index}]" if self.index is not None else "")
        return ".".join(part for part in (where, self.key) if part)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ConfigError(TraywatchError):
    """The configuration file does not parse or validate.

    `fields` holds each problem with the field it is about; `problems` says each one
    as "<key path>: <what was expected>" (e.g. "services[2].url: …") for people."""

    def __init__(self, message: str, fields: Sequence[FieldProblem] = ()) -> None:
        super().__init__(message)
        self.fields = tuple(fields)

    @property
    def problems(self) -> list[str]:
        return [str(problem) for problem in self.fields]
