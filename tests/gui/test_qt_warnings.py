"""Qt warnings fail the test that caused them (pytest-qt's message handler, configured
in pyproject.toml): a warning nobody looks at is how broken layouts and leaks hide."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

WARNS = """
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QLabel


def test_a_widget_that_warns(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    qWarning("QWidget::setLayout: something the code did wrong")


def test_a_widget_that_does_not(qtbot):
    qtbot.addWidget(QLabel("quiet"))
"""


def test_an_unexpected_qt_warning_fails_the_test(tmp_path: Path) -> None:
    (tmp_path / "test_warns.py").write_text(WARNS, encoding="utf-8")
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-c", str(PYPROJECT)]
    result = subprocess.run(
        [*pytest, "--rootdir", str(tmp_path), str(tmp_path / "test_warns.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 1 passed" in result.stdout
    assert "FAILED test_warns.py::test_a_widget_that_warns" in result.stdout
    assert "Qt messages with level WARNING or above emitted" in result.stdout
    assert "QWidget::setLayout: something the code did wrong" in result.stdout
