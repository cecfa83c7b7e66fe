"""`traywatch replay`: run recorded history through the same parse -> narrow ->
policy path as the app, on a fake clock, to see which notifications it would have
shown — and `measure`, which also judges what the icon said against the incidents
the page had open (SIGNAL.md, benchmarks/signal_truth.py).

DIR holds one file per recorded response, named by its UTC time
(`2025-03-01T12:00:07Z.json`); an empty file is a failed poll. Recorders keep a
file only when the response changed, so between two files the page is taken as
unchanged and polled every `interval` seconds."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from traywatch.config.schema import Config, NotificationSettings
from traywatch.core.errors import ParseError, TraywatchError
from traywatch.core.focus import narrow
from traywatch.core.model import Severity, Snapshot, failed_snapshot
from traywatch.core.timeparse import parse_datetime
from traywatch.notify import InMemoryPolicyMemory, Notification, NotificationPolicy
from traywatch.notify.policy import CURRENT_STATE, ESCALATION, INCIDENT_RESOLVED, NEW_INCIDENT
from traywatch.providers import get_provider
from traywatch.providers.base import NO_OPTIONS, Provider, ProviderOptions


@dataclass(frozen=True, slots=True)
class Recording:
    at: datetime
    path: Path


def recordings(directory: Path) -> list[Recording]:
    """The recorded responses in time order; raises TraywatchError on a stray name."""
    if not directory.is_dir():
        raise TraywatchError(f"{directory}: not a directory")
    found = []
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        stem = path.name.split(".", 1)[0] if "." in path.name else path.name
        at = parse_datetime(stem) if "T" in stem else None
        if at is None:
            raise TraywatchError(
                f"{path}: the file name is not a UTC time such as 2025-03-01T12:00:07Z.json"
            )
        found.append(Recording(at, path))
    found.sort(key=lambda r: r.at)
    return found


def replay(
    directory: Path, *, kind: str, name: str, interval: float, config: Config
) -> Iterator[Notification]:
    service = config.find(name)
    policy = NotificationPolicy(
        config.notifications,
        InMemoryPolicyMemory(),
        services=[name],
        muted=[name] if service is not None and service.mute else [],
        every_update=[name] if service is not None and service.notify_updates else [],
    )
    watched = service.components or () if service is not None else ()
    options = service.provider_options if service is not None else NO_OPTIONS
    for now, snapshot in polls(
        directory,
        kind=kind,
        watched=watched,
        options=options,
        interval=interval,
        settle=config.notifications.flap_polls,
    ):
        yield from policy.observe(name, snapshot, now)


def polls(
    directory: Path,
    *,
    kind: str,
    watched: tuple[str, ...] = (),
    options: ProviderOptions = NO_OPTIONS,
    interval: float,
    settle: int = 2,
) -> Iterator[tuple[datetime, Snapshot]]:
    """Every poll the app would have made, with what it would have seen (narrowed to
    the watched components). The last response is polled `settle` times, long enough
    for the flap window to settle what it says."""
    provider = get_provider(kind)
    step = timedelta(seconds=interval)
    parsed: dict[bytes, Snapshot] = {}  # each distinct response is parsed once
    files = recordings(directory)
    for index, recording in enumerate(files):
        snapshot = _snapshot(recording, provider, options, watched, parsed)
        until = files[index + 1].at if index + 1 < len(files) else recording.at + step * settle
        now = recording.at
        while now < until:
            yield now, snapshot
            now += step


def _snapshot(
    recording: Recording,
    provider: Provider,
    options: ProviderOptions,
    watched: tuple[str, ...],
    parsed: dict[bytes, Snapshot],
) -> Snapshot:
    body = recording.path.read_bytes()
    if not body.strip():
        return failed_snapshot("empty response", recording.at)
    digest = hashlib.blake2b(body, digest_size=16).digest()
    cached = parsed.get(digest)
    if cached is not None:
        return cached
    try:
        snapshot = provider.parse(body, fetched_at=recording.at, page_url="", options=options)
    except ParseError as exc:
        return failed_snapshot(str(exc), recording.at)
    snapshot = narrow(snapshot, watched)
    parsed[digest] = snapshot
    return snapshot


# -- how true the icon and the notifications were --------------------------------------


@dataclass(slots=True)
class Measurement:
    """What the icon and the notifications said over a recorded history, judged
    against the incidents the page had open for the watched components."""

    polls: int = 0
    false_alarm_polls: int = 0  # degraded or worse, no incident concerning the watched open
    not_green_polls: int = 0  # anything but operational (maintenance too), no such incident
    maintenance_polls: int = 0  # maintenance shown, no such incident
    incidents: set[str] = field(default_factory=set)  # concerning the watched components
    alarming: set[str] = field(default_factory=set)  # of those, the ones with an impact
    shown: set[str] = field(default_factory=set)  # alarming ones the icon showed
    ended: set[str] = field(default_factory=set)  # incidents that ended within the history
    notifications: list[Notification] = field(default_factory=list)

    @property
    def false_alarm_share(self) -> float:
        return self.false_alarm_polls / self.polls if self.polls else 0.0

    @property
    def not_green_share(self) -> float:
        return self.not_green_polls / self.polls if self.polls else 0.0

    @property
    def missed(self) -> set[str]:
        return self.alarming - self.shown

    @property
    def missed_share(self) -> float:
        return len(self.missed) / len(self.alarming) if self.alarming else 0.0

    @property
    def per_incident(self) -> float:
        return len(self.notifications) / len(self.incidents) if self.incidents else 0.0

    def told(self) -> Counter[tuple[str, str]]:
        return Counter(told for n in self.notifications for told in n.tells)

    @property
    def unannounced(self) -> set[str]:
        told = self.told()
        said = {ident for (event, ident) in told if event in _ANNOUNCING}
        return self.incidents - said

    @property
    def resolution_unseen(self) -> set[str]:
        told = self.told()
        said = {ident for (event, ident) in told if event == INCIDENT_RESOLVED}
        return self.ended - said

    @property
    def duplicates(self) -> int:
        """The same thing told of the same incident or maintenance more than once."""
        return sum(count - 1 for count in self.told().values() if count > 1)


_ANNOUNCING = frozenset({NEW_INCIDENT, ESCALATION, CURRENT_STATE})


def measure(
    directory: Path,
    *,
    kind: str,
    name: str,
    watched: tuple[str, ...] = (),
    interval: float = 120,
    settings: NotificationSettings | None = None,
) -> Measurement:
    settings = settings or NotificationSettings()
    policy = NotificationPolicy(settings, InMemoryPolicyMemory(), services=[name])
    result = Measurement()
    open_before: set[str] = set()
    for now, snapshot in polls(
        directory, kind=kind, watched=watched, interval=interval, settle=settings.flap_polls
    ):
        result.notifications += policy.observe(name, snapshot, now)
        if not snapshot.ok:
            continue
        result.polls += 1
        concerning = snapshot.active_incidents  # narrowed: only those touching the watched
        open_now = {i.id for i in concerning}
        result.ended |= open_before - open_now
        result.ended -= open_now  # reopened
        open_before = open_now
        result.incidents |= open_now
        alarming = {i.id for i in concerning if i.severity >= Severity.DEGRADED}
        result.alarming |= alarming
        if snapshot.severity >= Severity.DEGRADED:
            result.shown |= alarming
        if not concerning:
            if snapshot.severity >= Severity.DEGRADED:
                result.false_alarm_polls += 1
            if snapshot.severity > Severity.OPERATIONAL:
                result.not_green_polls += 1
            if snapshot.severity is Severity.MAINTENANCE:
                result.maintenance_polls += 1
    return result
