"""Delivering notifications: a small interface, and a chain that falls back."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from traywatch.notify.policy import Notification

log = logging.getLogger(__name__)


class Notifier(Protocol):
    name: str

    async def notify(self, notification: Notification) -> bool:
        """Show it; False (or an exception) when this backend could not."""
        ...


class RecordingNotifier:
    """Keeps what it was given; for tests and for `replay`-like uses."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def notify(self, notification: Notification) -> bool:
        self.sent.append(notification)
        return True


class FallbackNotifier:
    """Tries each backend in order until one delivers; never raises."""

    name = "fallback"

    def __init__(self, backends: Sequence[Notifier]) -> None:
        self.backends = list(backends)

    async def notify(self, notification: Notification) -> bool:
        for backend in self.backends:
            try:
                if await backend.notify(notification):
                    return True
            except Exception as exc:  # a broken backend must not lose the notification
                log.warning("notifier %s failed: %s; trying the next one", backend.name, exc)
        log.error("no notifier could show: %s", notification.title)
        return False
