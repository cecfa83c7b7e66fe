"""What the policy must remember across restarts, behind a small interface.

The app backs it with the state store; replay and tests with a dict."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class PolicyMemory(Protocol):
    def was_sent(self, key: str) -> bool: ...

    def mark_sent(self, key: str, at: datetime) -> None: ...

    def load_state(self, service: str) -> dict[str, Any] | None: ...

    def save_state(self, service: str, state: dict[str, Any]) -> None: ...

    # What the user asked for (snoozes, a pause, "notify me when resolved", what a
    # pause holds back): it must outlive a crash as much as what was said.
    def load_controls(self) -> dict[str, Any] | None: ...

    def save_controls(self, controls: dict[str, Any]) -> None: ...


class InMemoryPolicyMemory:
    def __init__(self) -> None:
        self.sent: dict[str, datetime] = {}
        self.states: dict[str, dict[str, Any]] = {}
        self.controls: dict[str, Any] | None = None

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    def mark_sent(self, key: str, at: datetime) -> None:
        self.sent.setdefault(key, at)

    def load_state(self, service: str) -> dict[str, Any] | None:
        return self.states.get(service)

    def save_state(self, service: str, state: dict[str, Any]) -> None:
        self.states[service] = state

    def load_controls(self) -> dict[str, Any] | None:
        return self.controls

    def save_controls(self, controls: dict[str, Any]) -> None:
        self.controls = controls
