"""Reading and writing config.toml. A file that does not validate is never written over."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

from traywatch.config.defaults import default_config
from traywatch.config.schema import (
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SETTINGS_OPTIONS,
    Config,
    NotificationSettings,
    Settings,
    validate,
)
from traywatch.core.errors import ConfigError

ENV_VAR = "TRAYWATCH_CONFIG"


def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("traywatch")) / "config.toml"


def resolve_config_path(explicit: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """The path to use, and whether the user named it (a named file must exist)."""
    if explicit:
        return Path(explicit), True
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env), True
    return default_config_path(), False


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path, named = resolve_config_path(explicit)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            raise ConfigError(f"{path}: no such file") from None
        return default_config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return validate(data, path)


def write_config(config: Config, path: Path) -> None:
    """Atomically replace `path`: temp file, fsync, rename; the old file kept as .bak."""
    import tempfile

    text = dumps(config)
    validate(tomllib.loads(text), path)  # never write what we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        _check_existing_is_valid(path)
    fd, tmp_name = tempfile.mkstemp(prefix=".config.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            os.replace(path, backup)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _check_existing_is_valid(path: Path) -> None:
    # A file the user broke by hand holds their work: refuse rather than replace it.
    try:
        validate(tomllib.loads(path.read_text(encoding="utf-8")), path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not overwritten, it does not parse ({exc})") from None


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (e.g. Windows)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(config: Config) -> str:
    """TOML text for a config; defaults are left out so the file stays short."""
    lines: list[str] = []
    defaults = Settings()
    setting_lines = [
        f"{o.name} = {_value(getattr(config.settings, o.name))}"
        for o in SETTINGS_OPTIONS
        if getattr(config.settings, o.name) != getattr(defaults, o.name)
    ]
    lines.append("[settings]")
    lines.extend(setting_lines)
    quiet = NotificationSettings()
    notification_lines = [
        f"{o.name} = {_value(getattr(config.notifications, o.name))}"
        for o in NOTIFICATION_OPTIONS
        if getattr(config.notifications, o.name) != getattr(quiet, o.name)
    ]
    if notification_lines:
        lines.append("")
        lines.append("[notifications]")
        lines.extend(notification_lines)
    for service in config.services:
        lines.append("")
        lines.append("[[services]]")
        for option in SERVICE_OPTIONS:
            value = getattr(service, option.name)
            if value is None or (not option.required and value == option.default):
                continue
            if option.type is dict:
                pairs = ", ".join(f"{_value(k)} = {_value(v)}" for k, v in value)
                lines.append(f"{option.name} = {{ {pairs} }}")
            else:
                lines.append(f"{option.name} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A JSON string literal is also a valid TOML basic string.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
