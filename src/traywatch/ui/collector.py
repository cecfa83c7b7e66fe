"""Python's cycle collector, run on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate when a threshold is
crossed: the store's worker thread, the executor's. A Qt object in such a cycle is then
destroyed in that thread ("Timers cannot be stopped from another thread" at best, a
crash at worst). So automatic collection is switched off, and a timer on the GUI thread
collects with the interpreter's own thresholds instead."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 5000  # garbage waits at most this long; an idle app wakes this often


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> int:
        """Collects the generations whose thresholds were crossed, oldest needed first
        (as the interpreter would); returns how many objects were unreachable."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = level
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
