from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _real_desktop() -> None:
    """These tests drive the real app on a real (virtual) desktop: run them with
    scripts/test, which starts Xvfb, a session bus, tray hosts and dunst."""
    missing = [
        v
        for v in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "TRAYWATCH_TEST_DESKTOP")
        if not os.environ.get(v)
    ]
    if missing:
        pytest.fail(f"no test desktop ({', '.join(missing)} unset): run scripts/test")
