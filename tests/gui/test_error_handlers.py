"""A Python error in a Qt slot is logged and the app goes on; Qt's warnings reach the log.

In a child process with the app's own handlers, because pytest-qt replaces the
exception hook inside the test process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = """
import logging, sys
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtWidgets import QApplication
from traywatch.app import install_error_handlers

logging.basicConfig(filename=sys.argv[1], level=logging.INFO,
                    format="%(levelname)s %(name)s: %(message)s")
install_error_handlers()
app = QApplication([])
survived = []

def broken():
    raise ZeroDivisionError("raised in a slot")

QTimer.singleShot(0, broken)
QTimer.singleShot(10, broken)
QTimer.singleShot(20, lambda: qWarning("a warning from Qt"))
QTimer.singleShot(50, lambda: survived.append(True))
QTimer.singleShot(100, app.quit)
app.exec()
print("survived" if survived else "died")
"""


def test_an_error_in_a_slot_is_logged_and_the_app_goes_on(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(log)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"
    text = log.read_text(encoding="utf-8")
    assert text.count("ERROR traywatch.app: unhandled error") == 2
    assert "ZeroDivisionError: raised in a slot" in text
    assert "WARNING traywatch.qt: a warning from Qt" in text
    assert "ZeroDivisionError" not in result.stderr  # logged, not sprayed on the terminal
