"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a Qt
method returning void; the tray's refresh makes hundreds of those per poll, and
after some 300,000 the interpreter aborts ("none_dealloc"). This test makes that
many calls and fails when None's reference count drifts, so a dependency upgrade
that brings the leak back turns CI red instead of crashing users.

The calls run in a child process: a leaking build corrupts the interpreter that
makes them, and the rest of the test run must still report."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 300_000
TOLERATED_DRIFT = 1_000

PROBE = f"""
import sys
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

app = QApplication([])
action = QAction("probe")
menu = QMenu("probe")
calls = [
    lambda i: action.setVisible(i % 2 == 0),
    lambda i: action.setEnabled(i % 3 == 0),
    lambda i: action.setCheckable(True),
    lambda i: action.setChecked(i % 2 == 1),
    lambda i: action.setText("a" if i % 2 else "b"),
    lambda i: menu.setTitle("m" if i % 2 else "n"),
]
before = sys.getrefcount(None)
done = 0
drift = 0
# Checked between batches so that a leaking build stops long before None's count
# reaches zero and aborts the probe without a figure.
while done < {CALLS} and abs(drift) < {TOLERATED_DRIFT}:
    for i in range(done, done + 500):
        calls[i % len(calls)](i)
    done += 500
    drift = sys.getrefcount(None) - before
print(done, drift, flush=True)
sys.stdout.flush()
os_exit = __import__("os")._exit
os_exit(0)  # a leaking build would abort in finalisation; the figure is out already
"""


def test_void_qt_calls_keep_none_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    done, drift = map(int, result.stdout.split())
    assert abs(drift) < TOLERATED_DRIFT, (
        f"None's reference count drifted by {drift} after {done} void Qt calls: this "
        "PySide6 build leaks and would crash the tray app (see pyproject.toml)"
    )
    assert done == CALLS
