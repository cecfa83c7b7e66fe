"""The log file rotates at its size limit and keeps a fixed number of older files."""

from __future__ import annotations

import logging
from pathlib import Path

from traywatch.logging_setup import LogFileHandler


def test_the_log_rotates_at_its_limit_and_keeps_three_older_files(tmp_path: Path) -> None:
    path = tmp_path / "traywatch.log"
    handler = LogFileHandler(path, max_bytes=1000, backups=3)
    logger = logging.Logger("rotation-test")
    logger.addHandler(handler)
    for number in range(200):
        logger.warning("record %03d %s", number, "x" * 40)
    handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["traywatch.log", "traywatch.log.1", "traywatch.log.2", "traywatch.log.3"]
    assert all((tmp_path / name).stat().st_size <= 1000 for name in files)
    newest = path.read_text().splitlines()
    assert newest[-1].startswith("record 199")
    older = (tmp_path / "traywatch.log.1").read_text().splitlines()
    assert int(older[-1].split()[1]) + 1 == int(newest[0].split()[1])  # nothing lost between


def test_a_record_larger_than_the_limit_is_still_written(tmp_path: Path) -> None:
    path = tmp_path / "traywatch.log"
    handler = LogFileHandler(path, max_bytes=100, backups=1)
    logger = logging.Logger("big-record-test")
    logger.addHandler(handler)
    logger.warning("y" * 500)
    logger.warning("z" * 500)
    handler.close()
    assert path.read_text().strip() == "z" * 500
    assert (tmp_path / "traywatch.log.1").read_text().strip() == "y" * 500
