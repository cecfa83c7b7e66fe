"""Declared settings, the TOML file, and the default watchlist."""

from traywatch.config.schema import Config, NotificationSettings, ServiceConfig, Settings
from traywatch.config.store import default_config_path, load_config, write_config

__all__ = [
    "Config",
    "NotificationSettings",
    "ServiceConfig",
    "Settings",
    "default_config_path",
    "load_config",
    "write_config",
]
