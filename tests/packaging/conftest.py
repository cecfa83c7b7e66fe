from __future__ import annotations

import os

import pytest


@pytest.fixture
def desktop() -> None:
    """A test that starts the tray app through a desktop entry needs the real test
    desktop (Xvfb, session bus, tray hosts): run it with scripts/test."""
    missing = [
        v
        for v in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "TRAYWATCH_TEST_DESKTOP")
        if not os.environ.get(v)
    ]
    if missing:
        pytest.fail(f"no test desktop ({', '.join(missing)} unset): run scripts/test")
