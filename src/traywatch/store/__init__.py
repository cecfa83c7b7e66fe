"""What traywatch remembers between runs."""

from traywatch.store.history import HistoryStore, SeverityChange, default_store_path

__all__ = ["HistoryStore", "SeverityChange", "default_store_path"]
