"""Every setting declared once: name, type, default, bounds and help.

The same declarations validate the file, fill in defaults, and document the
keys (README, and later the settings window), so they cannot drift apart."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.errors import ConfigError
from traywatch.core.text import without_credentials
from traywatch.providers import KINDS
from traywatch.providers.base import ProviderOptions

MIN_INTERVAL = 30.0


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    type: type
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    choices: tuple[str, ...] | None = None
    check: Callable[[Any], str | None] | None = None  # returns a problem, or None
    item: Any = str  # for lists: the type of their items


SEVERITY_NAMES = (
    "operational",
    "maintenance",
    "degraded",
    "partial_outage",
    "major_outage",
)
_QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    """'22:00-07:00' -> (22:00, 07:00); '' -> None. Raises ValueError when malformed."""
    if not value:
        return None
    match = _QUIET_HOURS.match(value.strip())
    if match is None:
        raise ValueError(value)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return time(h1, m1), time(h2, m2)


def _check_regex(value: Any) -> str | None:
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


def _check_quiet_hours(value: Any) -> str | None:
    try:
        parse_quiet_hours(value)
    except ValueError:
        return f'expected a range such as "22:00-07:00", got {value!r}'
    return None


SETTINGS_OPTIONS: tuple[Option, ...] = (
    Option("interval", float, 120.0, "seconds between two polls of a service", MIN_INTERVAL, 86400),
    Option("timeout", float, 10.0, "seconds before a request is given up", 1, 120),
    Option("concurrency", int, 8, "how many pages are fetched at once", 1, 64),
    Option("start_hidden", bool, True, "start in the tray only; false also opens the window"),
)

NOTIFICATION_OPTIONS: tuple[Option, ...] = (
    Option(
        "min_severity",
        str,
        "operational",
        "notify only about changes at least this bad",
        choices=SEVERITY_NAMES,
    ),
    Option(
        "flap_polls",
        int,
        2,
        "polls in a row a change of severity must hold before it is announced",
        1,
        10,
    ),
    Option(
        "quiet_hours",
        str,
        "",
        'e.g. "22:00-07:00": notifications are held and summarised afterwards',
        check=_check_quiet_hours,
    ),
    Option("quiet_hours_allow_major", bool, True, "major outages still notify in quiet hours"),
    Option("storm_limit", int, 3, "notifications a minute before the rest are summarised", 1, 20),
    Option("sound", bool, False, "ask the notification server to play a sound"),
)

SERVICE_OPTIONS: tuple[Option, ...] = (
    Option("name", str, None, "shown in the tray and in notifications", required=True),
    Option("url", str, None, "the status page's address (http or https)", required=True),
    Option(
        "kind",
        str,
        None,
        'status page format, or "http" for an endpoint of your own; detected when left out',
        choices=(*KINDS, "http"),
    ),
    Option("interval", float, None, "overrides settings.interval", MIN_INTERVAL, 86400),
    Option("enabled", bool, True, "false keeps the entry but stops polling it"),
    Option("region", str, None, "only this region (aws: e.g. us-east-1; azure: e.g. West Europe)"),
    Option(
        "products",
        list,
        None,
        "only these products or services (google-cloud product ids or names, aws services)",
    ),
    Option(
        "components",
        list,
        None,
        "only these components (or component groups) count for state and notifications",
    ),
    Option(
        "depends_on",
        list,
        None,
        "names of watched platforms this one runs on: its failures say whether they report trouble",
    ),
    Option("mute", bool, False, "never notify about this service"),
    Option("notify_updates", bool, False, "notify about every incident update, not only changes"),
    # Own endpoints (kind = "http")
    Option("method", str, None, "http: GET (default) or HEAD", choices=("GET", "HEAD")),
    Option(
        "expect_status",
        list,
        None,
        "http: status codes that count as up (default 200-399)",
        item=int,
    ),
    Option("body_contains", str, None, "http: text the response body must contain"),
    Option(
        "body_regex",
        str,
        None,
        "http: a regular expression the body must match",
        check=_check_regex,
    ),
    Option(
        "degraded_after",
        float,
        None,
        "http: seconds above which the endpoint is degraded",
        0.01,
        120,
    ),
    Option("headers", dict, None, "http: extra request headers (no secrets here: use secret)"),
    Option(
        "auth",
        str,
        None,
        "http: bearer or basic; the secret comes from the OS keyring",
        choices=("bearer", "basic"),
    ),
    Option("username", str, None, "http: user name for basic authentication"),
    Option("secret", str, None, "http: name of the token or password in the OS keyring"),
)
HTTP_ONLY = (
    "method",
    "expect_status",
    "body_contains",
    "body_regex",
    "degraded_after",
    "headers",
    "auth",
    "username",
    "secret",
)


@dataclass(frozen=True, slots=True)
class Settings:
    interval: float = 120.0
    timeout: float = 10.0
    concurrency: int = 8
    start_hidden: bool = True


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    min_severity: str = "operational"
    flap_polls: int = 2
    quiet_hours: str = ""
    quiet_hours_allow_major: bool = True
    storm_limit: int = 3
    sound: bool = False


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    name: str
    url: str
    kind: str | None = None
    interval: float | None = None
    enabled: bool = True
    region: str | None = None
    products: tuple[str, ...] | None = None
    components: tuple[str, ...] | None = None
    depends_on: tuple[str, ...] | None = None
    mute: bool = False
    notify_updates: bool = False
    method: str | None = None
    expect_status: tuple[int, ...] | None = None
    body_contains: str | None = None
    body_regex: str | None = None
    degraded_after: float | None = None
    headers: tuple[tuple[str, str], ...] | None = None
    auth: str | None = None
    username: str | None = None
    secret: str | None = None

    @property
    def provider_options(self) -> ProviderOptions:
        return ProviderOptions(region=self.region, products=self.products or ())


@dataclass(frozen=True, slots=True)
class Config:
    settings: Settings = field(default_factory=Settings)
    services: tuple[ServiceConfig, ...] = ()
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    path: Path | None = None  # None: the embedded default watchlist

    def interval_for(self, service: ServiceConfig) -> float:
        return service.interval if service.interval is not None else self.settings.interval

    def find(self, name: str) -> ServiceConfig | None:
        wanted = name.casefold()
        return next((s for s in self.services if s.name.casefold() == wanted), None)


def validate(data: Mapping[str, Any], path: Path | None) -> Config:
    """Turn parsed TOML into a Config, or raise ConfigError listing every problem."""
    problems: list[str] = []
    unknown = sorted(set(data) - {"settings", "notifications", "services"})
    problems += [
        f"unknown key '{k}' (expected [settings], [notifications] and [[services]])"
        for k in unknown
    ]

    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, Mapping):
        problems.append("settings: expected a table")
        raw_settings = {}
    settings = Settings(**_read_table(raw_settings, SETTINGS_OPTIONS, "settings", problems))

    raw_notifications = data.get("notifications", {})
    if not isinstance(raw_notifications, Mapping):
        problems.append("notifications: expected a table")
        raw_notifications = {}
    notifications = NotificationSettings(
        **_read_table(raw_notifications, NOTIFICATION_OPTIONS, "notifications", problems)
    )

    raw_services = data.get("services", [])
    if not isinstance(raw_services, list):
        problems.append("services: expected an array of tables ([[services]])")
        raw_services = []
    services: list[ServiceConfig] = []
    seen_names: set[str] = set()
    for index, raw in enumerate(raw_services):
        where = f"services[{index}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: expected a table")
            continue
        before = len(problems)
        values = _read_table(raw, SERVICE_OPTIONS, where, problems)
        if len(problems) > before:
            continue
        name = values["name"].strip()
        if not name:
            problems.append(f"{where}.name: must not be empty")
        elif name.casefold() in seen_names:
            problems.append(f"{where}.name: '{name}' is used by another service")
        seen_names.add(name.casefold())
        url_problem = check_url(values["url"])
        if url_problem:
            problems.append(f"{where}.url: {url_problem}")
        problems += [f"{where}.{p}" for p in _service_rules(values)]
        values["name"] = name
        services.append(ServiceConfig(**values))

    if problems:
        where = str(path) if path else "configuration"
        raise ConfigError(f"{where}: " + "; ".join(problems), problems)
    return Config(
        settings=settings, services=tuple(services), notifications=notifications, path=path
    )


def _service_rules(values: Mapping[str, Any]) -> list[str]:
    """Rules across keys of one service; each problem starts with the key it is about."""
    problems = []
    if values.get("kind") != "http":
        problems += [
            f'{key}: only for own endpoints (kind = "http")'
            for key in HTTP_ONLY
            if values.get(key) is not None
        ]
        return problems
    if values.get("auth") and not values.get("secret"):
        problems.append("secret: required with auth (the name of the keyring entry)")
    if values.get("auth") == "basic" and not values.get("username"):
        problems.append('username: required with auth = "basic"')
    if values.get("secret") and not values.get("auth"):
        problems.append('auth: required with secret ("bearer" or "basic")')
    return problems


def check_url(url: str) -> str | None:
    """A problem with an address, in plain words; None when the fetcher can use it."""
    shown = repr(without_credentials(url))
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # "[::1" or a port that is not a number 0-65535
        return f"not a valid address (host or port), got {shown}"
    if parts.scheme not in ("http", "https") or not host:
        return f"expected an http(s) address such as https://www.githubstatus.com, got {shown}"
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return f"an address cannot contain spaces or control characters, got {shown}"
    if port == 0:
        return f"expected a port from 1 to 65535, got {shown}"
    return _check_host(host)


def _check_host(host: str) -> str | None:
    import idna

    # What the HTTP stack will ask of the name: IDNA for international names, and a
    # valid punycode label wherever one starts with "xn--".
    try:
        if not host.isascii():
            idna.encode(host)
        elif "xn--" in host:
            idna.decode(host)
    except idna.IDNAError:
        return f"{host!r} is not a valid host name"
    return None


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _check_headers(headers: Mapping[str, str]) -> str | None:
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            return f"{name!r} is not a valid header name"
        if not all(c == "\t" or 0x20 <= ord(c) < 0x7F for c in value):
            return f"the value of {name!r} must be printable ASCII (what HTTP headers carry)"
    return None


def _read_table(
    raw: Mapping[str, Any], options: tuple[Option, ...], where: str, problems: list[str]
) -> dict[str, Any]:
    known = {o.name: o for o in options}
    for key in raw:
        if key not in known:
            problems.append(f"{where}: unknown key '{key}' (known: {', '.join(known)})")
    values: dict[str, Any] = {}
    for option in options:
        if option.name not in raw:
            if option.required:
                problems.append(f"{where}.{option.name}: required ({option.help})")
            else:
                values[option.name] = option.default
            continue
        value, problem = _coerce(raw[option.name], option)
        if problem:
            problems.append(f"{where}.{option.name}: {problem}")
        else:
            values[option.name] = value
    return values


def _coerce(value: Any, option: Option) -> tuple[Any, str | None]:
    got = f"got {value!r}"
    if option.type is list and option.item is int:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599 for v in value
        ):
            return None, f"expected a list of HTTP status codes such as [200, 204], {got}"
        return tuple(value), None
    if option.type is list:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return None, f'expected a list of names such as ["compute", "dns"], {got}'
        return tuple(value), None
    if option.type is dict:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return (
                None,
                f'expected a table of names and texts such as {{Accept = "text/html"}}, {got}',
            )
        problem = _check_headers(value)
        return (None, problem) if problem else (tuple(sorted(value.items())), None)
    if option.type is bool:
        return (
            (value, None) if isinstance(value, bool) else (None, f"expected true or false, {got}")
        )
    if option.type is str:
        if not isinstance(value, str):
            return None, f"expected a string, {got}"
        if option.choices is not None and value not in option.choices:
            return None, f"expected one of {', '.join(option.choices)}, {got}"
        if option.check is not None:
            problem = option.check(value)
            if problem:
                return None, problem
        return value, None
    whole = option.type is int
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, f"expected {'a whole number' if whole else 'a number'}, {got}"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"expected a finite number, {got}"
    if whole and isinstance(value, float) and not value.is_integer():
        return None, f"expected a whole number, {got}"
    # Compared before converting: int and float compare exactly, at any size.
    if option.minimum is not None and value < option.minimum:
        return None, f"expected at least {option.minimum:g}, {got}"
    if option.maximum is not None and value > option.maximum:
        return None, f"expected at most {option.maximum:g}, {got}"
    return option.type(value), None
