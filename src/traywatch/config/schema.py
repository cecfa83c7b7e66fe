"""Every setting declared once: name, type, default, bounds, help — and where it
applies and how it is presented.

The same declarations validate the file, fill in defaults, generate the settings
window's form (per kind: a status page shows what narrows it, an endpoint of your own
its checks) and document the keys, so none of them can drift apart."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.errors import ConfigError, FieldProblem
from traywatch.core.text import without_credentials
from traywatch.providers import KINDS
from traywatch.providers.base import ProviderOptions

MIN_INTERVAL = 30.0
ENDPOINT = "http"  # the kind of an endpoint of the user's own
DETECTED = ""  # the kind of a status page whose format is detected when polled
PAGE_KINDS = frozenset((*KINDS, DETECTED))


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
    # Where it applies: the kinds of service it is offered for (None: every kind).
    kinds: frozenset[str] | None = None
    # True: refused on other kinds (it would change what is checked); False: ignored there.
    kinds_only: bool = False
    # How the form presents it.
    label: str = ""  # short label; the name when empty
    section: str = ""  # the group of fields it is shown in
    unit: str = ""  # shown after a number, e.g. " s"
    unset: str = ""  # what leaving it out means, in words; a choice's name when it is one
    choice_labels: tuple[str, ...] = ()  # plain words for each of `choices`
    placeholder: str = ""
    # (kind, placeholder) where a kind's value looks different: an endpoint's address
    # is not a status page's
    kind_placeholders: tuple[tuple[str, str], ...] = ()
    hint: str = ""  # a short explanation shown under the field
    editor: str = ""  # a purpose-built editor: components, runs_on, keyring, time_range…
    # Only asked when another option has one of these values (a user name for basic
    # authentication); left out otherwise.
    requires: tuple[str, tuple[str, ...]] | None = None

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def placeholder_for(self, kind: str | None) -> str:
        return dict(self.kind_placeholders).get(kind or DETECTED, self.placeholder)

    def offered_for(self, kind: str | None) -> bool:
        return self.kinds is None or (kind or DETECTED) in self.kinds

    def asked(self, values: Mapping[str, Any]) -> bool:
        """Whether the other options' values call for this one."""
        if self.requires is None:
            return True
        key, wanted = self.requires
        return values.get(key) in wanted

    def choice_label(self, choice: str) -> str:
        if self.choices and self.choice_labels and choice in self.choices:
            return self.choice_labels[self.choices.index(choice)]
        return choice


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
    Option(
        "interval",
        float,
        120.0,
        "seconds between two polls of a service",
        MIN_INTERVAL,
        86400,
        label="Check every",
        section="Checking",
        unit=" s",
        hint="How often each page is asked; a service can set its own.",
    ),
    Option(
        "timeout",
        float,
        10.0,
        "seconds before a request is given up",
        1,
        120,
        label="Give up after",
        section="Checking",
        unit=" s",
    ),
    Option(
        "concurrency",
        int,
        8,
        "how many pages are fetched at once",
        1,
        64,
        label="Pages fetched at once",
        section="Checking",
    ),
    Option(
        "start_hidden",
        bool,
        True,
        "start in the tray only; false also opens the window",
        label="Start in the tray only, without opening the window",
        section="Starting",
    ),
)

NOTIFICATION_OPTIONS: tuple[Option, ...] = (
    Option(
        "min_severity",
        str,
        "operational",
        "notify only about changes at least this bad",
        choices=SEVERITY_NAMES,
        label="Notify me about",
        section="What is announced",
        hint="A recovery is announced when its trouble was.",
        choice_labels=(
            "Every change, notices included",
            "Maintenance and anything worse",
            "Degraded performance and worse",
            "Partial outages and worse",
            "Major outages only",
        ),
    ),
    Option(
        "flap_polls",
        int,
        2,
        "polls in a row a change of severity must hold before it is announced",
        1,
        10,
        label="A change must hold for",
        section="What is announced",
        unit=" checks",
        hint="A state that flips back sooner is never announced.",
    ),
    Option(
        "quiet_hours",
        str,
        "",
        'e.g. "22:00-07:00": notifications are held and summarised afterwards',
        check=_check_quiet_hours,
        label="Quiet hours",
        section="Quiet hours",
        editor="time_range",
        hint="Held back, then told in one summary when they end.",
    ),
    Option(
        "quiet_hours_allow_major",
        bool,
        True,
        "major outages still notify in quiet hours",
        label="Major outages still notify in quiet hours",
        section="Quiet hours",
    ),
    Option(
        "storm_limit",
        int,
        3,
        "notifications a minute before the rest are summarised",
        1,
        20,
        label="At most",
        section="What is announced",
        unit=" a minute, then one summary",
    ),
    Option(
        "sound",
        bool,
        False,
        "ask the notification server to play a sound",
        label="Play a sound",
        section="What is announced",
    ),
)

# Sections of a service's form, in order.
ABOUT = "Service"
WHAT_COUNTS = "What counts"
ENDPOINT_CHECK = "How it is checked"
SIGN_IN = "Sign-in"
RUNS_ON = "Runs on"
POLLING = "Checking and notifications"

_PAGES = PAGE_KINDS - {"feed"}  # a feed lists incidents, no components
_ENDPOINTS = frozenset((ENDPOINT,))

SERVICE_OPTIONS: tuple[Option, ...] = (
    Option(
        "name",
        str,
        None,
        "shown in the tray and in notifications",
        required=True,
        label="Name",
        section=ABOUT,
    ),
    Option(
        "url",
        str,
        None,
        "the status page's address, or your endpoint's (http or https)",
        required=True,
        label="Address",
        section=ABOUT,
        placeholder="https://status.example.com",
        kind_placeholders=((ENDPOINT, "https://api.example.com/health"),),
        editor="url",
    ),
    Option(
        "kind",
        str,
        None,
        'status page format, or "http" for an endpoint of your own; detected when left out',
        choices=(*KINDS, ENDPOINT),
        label="Kind",
        section=ABOUT,
        unset="Status page, format found when checked",
        editor="kind",
    ),
    Option(
        "interval",
        float,
        None,
        "overrides settings.interval",
        MIN_INTERVAL,
        86400,
        label="Check every",
        section=POLLING,
        unit=" s",
        unset="as set in General",
    ),
    Option(
        "enabled",
        bool,
        True,
        "false keeps the entry but stops polling it",
        label="Check this service (untick to keep it without checking)",
        section=POLLING,
    ),
    Option(
        "region",
        str,
        None,
        "only this region (aws: e.g. us-east-1; azure: e.g. West Europe)",
        kinds=frozenset(("aws", "azure")),
        label="Only the region",
        section=WHAT_COUNTS,
        placeholder="e.g. us-east-1 (AWS) or West Europe (Azure)",
    ),
    Option(
        "products",
        list,
        None,
        "only these products or services (google-cloud product ids or names, aws services)",
        kinds=frozenset(("google-cloud", "aws", "azure")),
        label="Only the products",
        section=WHAT_COUNTS,
        placeholder="comma-separated, e.g. compute, dns",
        editor="names",
    ),
    Option(
        "components",
        list,
        None,
        "only these components (or component groups) count for state and notifications",
        kinds=_PAGES,
        label="Watched components",
        section=WHAT_COUNTS,
        unset="All of them",
        editor="components",
    ),
    Option(
        "depends_on",
        list,
        None,
        'watched platforms this one runs on ("Heroku", or "Heroku: Apps" for one component '
        "or group of its page): its failures say whether they report trouble",
        kinds=_ENDPOINTS,
        label="Runs on",
        section=RUNS_ON,
        unset="Nothing chosen",
        hint="When it fails, traywatch tells you whether these platforms are the reason.",
        editor="runs_on",
    ),
    Option(
        "mute",
        bool,
        False,
        "never notify about this service",
        label="Never notify about it",
        section=POLLING,
    ),
    Option(
        "notify_updates",
        bool,
        False,
        "notify about every incident update, not only changes",
        kinds=_PAGES,
        label="Also notify about every incident update",
        section=POLLING,
    ),
    # Own endpoints (kind = "http")
    Option(
        "method",
        str,
        None,
        "http: GET (default) or HEAD",
        choices=("GET", "HEAD"),
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Method",
        section=ENDPOINT_CHECK,
        unset="GET",
        choice_labels=("GET", "HEAD (headers only: no body checks)"),
    ),
    Option(
        "expect_status",
        list,
        None,
        "http: status codes that count as up (default 200-399)",
        item=int,
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Up when the status is",
        section=ENDPOINT_CHECK,
        placeholder="any from 200 to 399; or e.g. 200, 204",
        editor="status_codes",
    ),
    Option(
        "body_contains",
        str,
        None,
        "http: text the response body must contain",
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Body contains",
        section=ENDPOINT_CHECK,
        placeholder='e.g. "ok"',
    ),
    Option(
        "body_regex",
        str,
        None,
        "http: a regular expression the body must match",
        check=_check_regex,
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Body matches",
        section=ENDPOINT_CHECK,
        placeholder="a regular expression",
    ),
    Option(
        "degraded_after",
        float,
        None,
        "http: seconds above which the endpoint is degraded",
        0.01,
        120,
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Slow (degraded) after",
        section=ENDPOINT_CHECK,
        unit=" s",
        unset="never",
    ),
    Option(
        "headers",
        dict,
        None,
        "http: extra request headers (no secrets here: use secret)",
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Extra headers",
        section=ENDPOINT_CHECK,
        placeholder="Name: value, one per line",
        editor="headers",
    ),
    Option(
        "auth",
        str,
        None,
        "http: bearer or basic; the secret comes from the OS keyring",
        choices=("bearer", "basic"),
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Sign in with",
        section=SIGN_IN,
        unset="Nothing: the endpoint is public",
        choice_labels=("A token (Authorization: Bearer)", "A user name and password (basic)"),
    ),
    Option(
        "username",
        str,
        None,
        "http: user name for basic authentication",
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="User name",
        section=SIGN_IN,
        requires=("auth", ("basic",)),
    ),
    Option(
        "secret",
        str,
        None,
        "http: name of the token or password in the OS keyring",
        kinds=_ENDPOINTS,
        kinds_only=True,
        label="Token or password",
        section=SIGN_IN,
        placeholder="e.g. my-app-token",
        editor="keyring",
        requires=("auth", ("bearer", "basic")),
    ),
)
_URL_OPTION = next(o for o in SERVICE_OPTIONS if o.name == "url")
SERVICE_SECTIONS = (ABOUT, WHAT_COUNTS, RUNS_ON, ENDPOINT_CHECK, SIGN_IN, POLLING)
SETTINGS_SECTIONS = ("Checking", "Starting")
NOTIFICATION_SECTIONS = ("What is announced", "Quiet hours")


def service_options(kind: str | None) -> tuple[Option, ...]:
    """The options a service of this kind offers (`None`: a status page whose format is
    detected), in the order the form shows them."""
    return tuple(
        option
        for section in SERVICE_SECTIONS
        for option in SERVICE_OPTIONS
        if option.section == section and option.offered_for(kind)
    )


def kinds_in_words(kinds: frozenset[str]) -> str:
    if kinds == _ENDPOINTS:
        return 'own endpoints (kind = "http")'
    return "kind " + " or ".join(f'"{k}"' for k in sorted(kinds - {DETECTED}))


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
    problems: list[FieldProblem] = [
        FieldProblem(
            "", None, f"unknown key '{k}' (expected [settings], [notifications] and [[services]])"
        )
        for k in sorted(set(data) - {"settings", "notifications", "services"})
    ]

    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, Mapping):
        problems.append(FieldProblem("settings", None, "expected a table"))
        raw_settings = {}
    settings = Settings(**_read_table(raw_settings, SETTINGS_OPTIONS, "settings", None, problems))

    raw_notifications = data.get("notifications", {})
    if not isinstance(raw_notifications, Mapping):
        problems.append(FieldProblem("notifications", None, "expected a table"))
        raw_notifications = {}
    notifications = NotificationSettings(
        **_read_table(raw_notifications, NOTIFICATION_OPTIONS, "notifications", None, problems)
    )

    raw_services = data.get("services", [])
    if not isinstance(raw_services, list):
        problems.append(
            FieldProblem("services", None, "expected an array of tables ([[services]])")
        )
        raw_services = []
    services: list[ServiceConfig] = []
    seen_names: set[str] = set()
    for index, raw in enumerate(raw_services):
        if not isinstance(raw, Mapping):
            problems.append(FieldProblem("services", None, "expected a table", index))
            continue
        before = len(problems)
        values = _read_table(raw, SERVICE_OPTIONS, "services", index, problems)
        if len(problems) > before:
            continue

        def problem(key: str, message: str, index: int = index) -> None:
            problems.append(FieldProblem("services", key, message, index))

        name = values["name"].strip()
        if not name:
            problem("name", "must not be empty")
        elif name.casefold() in seen_names:
            problem("name", f"another service is already called '{name}'")
        seen_names.add(name.casefold())
        # an example of the address the kind asks for: an endpoint's is not a status page's
        example = (
            _URL_OPTION.placeholder_for(ENDPOINT)
            if values.get("kind") == ENDPOINT
            else "https://www.githubstatus.com"
        )
        url_problem = (
            check_url(values["url"], example)
            if values["url"].strip()
            else f"required: the address to check, such as {example}"
        )
        if url_problem:
            problem("url", url_problem)
        for key, message in _service_rules(values):
            problem(key, message)
        values["name"] = name
        services.append(ServiceConfig(**values))

    if problems:
        where = str(path) if path else "configuration"
        raise ConfigError(f"{where}: " + "; ".join(map(str, problems)), problems)
    return Config(
        settings=settings, services=tuple(services), notifications=notifications, path=path
    )


def _service_rules(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Rules across keys of one service, as (key, problem)."""
    kind = values.get("kind")
    problems = [
        (option.name, f"only for {kinds_in_words(option.kinds)}")
        for option in SERVICE_OPTIONS
        if option.kinds_only
        and option.kinds is not None
        and not option.offered_for(kind)
        and values.get(option.name) is not None
    ]
    if kind != ENDPOINT:
        return problems
    if values.get("auth") and not values.get("secret"):
        problems.append(("secret", "required with auth (the name of the keyring entry)"))
    if values.get("auth") == "basic" and not values.get("username"):
        problems.append(("username", 'required with auth = "basic"'))
    if values.get("secret") and not values.get("auth"):
        problems.append(("auth", 'required with secret ("bearer" or "basic")'))
    return problems


def with_scheme(address: str) -> str:
    """An address typed without its scheme ("status.example.com") gets https://."""
    address = address.strip()
    if address and "://" not in address and not address.startswith(("/", "?", "#")):
        return "https://" + address
    return address


def check_url(url: str, example: str = "https://www.githubstatus.com") -> str | None:
    """A problem with an address, in plain words; None when the fetcher can use it."""
    shown = repr(without_credentials(url))
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # "[::1" or a port that is not a number 0-65535
        return f"not a valid address (host or port), got {shown}"
    if parts.scheme not in ("http", "https") or not host:
        return f"expected an http(s) address such as {example}, got {shown}"
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
    raw: Mapping[str, Any],
    options: tuple[Option, ...],
    table: str,
    index: int | None,
    problems: list[FieldProblem],
) -> dict[str, Any]:
    known = {o.name: o for o in options}
    for key in raw:
        if key not in known:
            problems.append(
                FieldProblem(table, None, f"unknown key '{key}' (known: {', '.join(known)})", index)
            )
    values: dict[str, Any] = {}
    for option in options:
        if option.name not in raw:
            if option.required:
                problems.append(
                    FieldProblem(table, option.name, f"required ({option.help})", index)
                )
            else:
                values[option.name] = option.default
            continue
        value, problem = _coerce(raw[option.name], option)
        if problem:
            problems.append(FieldProblem(table, option.name, problem, index))
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
