"""Every setting declared once: name, type, default, bounds and help.

The same declarations validate the file, fill in defaults, and document the
keys (README, and later the settings window), so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.errors import ConfigError
from traywatch.providers import KINDS

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


SETTINGS_OPTIONS: tuple[Option, ...] = (
    Option("interval", float, 120.0, "seconds between two polls of a service", MIN_INTERVAL, 86400),
    Option("timeout", float, 10.0, "seconds before a request is given up", 1, 120),
    Option("concurrency", int, 8, "how many pages are fetched at once", 1, 64),
)

SERVICE_OPTIONS: tuple[Option, ...] = (
    Option("name", str, None, "shown in the tray and in notifications", required=True),
    Option("url", str, None, "the status page's address (http or https)", required=True),
    Option("kind", str, None, "status page format; detected when left out", choices=KINDS),
    Option("interval", float, None, "overrides settings.interval", MIN_INTERVAL, 86400),
    Option("enabled", bool, True, "false keeps the entry but stops polling it"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    interval: float = 120.0
    timeout: float = 10.0
    concurrency: int = 8


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    name: str
    url: str
    kind: str | None = None
    interval: float | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    settings: Settings = field(default_factory=Settings)
    services: tuple[ServiceConfig, ...] = ()
    path: Path | None = None  # None: the embedded default watchlist

    def interval_for(self, service: ServiceConfig) -> float:
        return service.interval if service.interval is not None else self.settings.interval

    def find(self, name: str) -> ServiceConfig | None:
        wanted = name.casefold()
        return next((s for s in self.services if s.name.casefold() == wanted), None)


def validate(data: Mapping[str, Any], path: Path | None) -> Config:
    """Turn parsed TOML into a Config, or raise ConfigError listing every problem."""
    problems: list[str] = []
    unknown = sorted(set(data) - {"settings", "services"})
    problems += [f"unknown key '{k}' (expected [settings] and [[services]])" for k in unknown]

    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, Mapping):
        problems.append("settings: expected a table")
        raw_settings = {}
    settings = Settings(**_read_table(raw_settings, SETTINGS_OPTIONS, "settings", problems))

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
        values["name"] = name
        services.append(ServiceConfig(**values))

    if problems:
        where = str(path) if path else "configuration"
        raise ConfigError(f"{where}: " + "; ".join(problems))
    return Config(settings=settings, services=tuple(services), path=path)


def check_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http(s) address such as https://www.githubstatus.com, got '{url}'"
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
    if option.type is bool:
        return (
            (value, None) if isinstance(value, bool) else (None, f"expected true or false, {got}")
        )
    if option.type is str:
        if not isinstance(value, str):
            return None, f"expected a string, {got}"
        if option.choices is not None and value not in option.choices:
            return None, f"expected one of {', '.join(option.choices)}, {got}"
        return value, None
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if option.type is int and not (numeric and float(value).is_integer()):
        return None, f"expected a whole number, {got}"
    if not numeric:
        return None, f"expected a number, {got}"
    number = option.type(value)
    if option.minimum is not None and number < option.minimum:
        return None, f"expected at least {option.minimum:g}, {got}"
    if option.maximum is not None and number > option.maximum:
        return None, f"expected at most {option.maximum:g}, {got}"
    return number, None
