"""`traywatch replay`: run recorded history through the same parse -> policy path as
the app, on a fake clock, to see which notifications it would have shown.

DIR holds one file per recorded response, named by its UTC time
(`2025-03-01T12:00:07Z.json`); an empty file is a failed poll. Recorders keep a
file only when the response changed, so between two files the page is taken as
unchanged and polled every `interval` seconds."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from traywatch.config.schema import Config
from traywatch.core.errors import ParseError, TraywatchError
from traywatch.core.model import Snapshot, failed_snapshot
from traywatch.core.timeparse import parse_datetime
from traywatch.notify import InMemoryPolicyMemory, Notification, NotificationPolicy
from traywatch.providers import get_provider
from traywatch.providers.base import Provider


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
    provider = get_provider(kind)
    service = config.find(name)
    policy = NotificationPolicy(
        config.notifications,
        InMemoryPolicyMemory(),
        services=[name],
        muted=[name] if service is not None and service.mute else [],
        every_update=[name] if service is not None and service.notify_updates else [],
    )
    step = timedelta(seconds=interval)
    parsed: dict[bytes, Snapshot] = {}  # each distinct response is parsed once
    files = recordings(directory)
    for index, recording in enumerate(files):
        snapshot = _snapshot(recording, provider, parsed)
        if index + 1 < len(files):
            until = files[index + 1].at
        else:  # long enough for the flap window to settle what the last response says
            until = recording.at + step * config.notifications.flap_polls
        now = recording.at
        while now < until:
            yield from policy.observe(name, snapshot, now)
            now += step


def _snapshot(recording: Recording, provider: Provider, parsed: dict[bytes, Snapshot]) -> Snapshot:
    body = recording.path.read_bytes()
    if not body.strip():
        return failed_snapshot("empty response", recording.at)
    digest = hashlib.blake2b(body, digest_size=16).digest()
    cached = parsed.get(digest)
    if cached is not None:
        return cached
    try:
        snapshot = provider.parse(body, fetched_at=recording.at, page_url="")
    except ParseError as exc:
        return failed_snapshot(str(exc), recording.at)
    parsed[digest] = snapshot
    return snapshot
