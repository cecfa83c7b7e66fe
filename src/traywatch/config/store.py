"""Reading and writing config.toml. A file that does not validate is never written over."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from traywatch.config.defaults import default_config
from traywatch.config.schema import (
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SETTINGS_OPTIONS,
    Config,
    Option,
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
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return validate(data, path)


class ConfigNotSaved(ConfigError):
    """The file could not be written (full disk, read-only directory); it is unchanged."""


def write_config(config: Config, path: Path) -> None:
    """Replace `path` so that, whenever the process dies, it holds the old or the new
    config, never nothing: the old text goes to `.bak` first, then one rename puts the
    new file in place. The user's comments and layout are kept."""
    old = _existing_text(path)
    text = dumps(config, old)
    if validate(tomllib.loads(text), path) != replace(config, path=path):
        # Never write what does not read back as what was asked (a bug if it happens).
        raise ConfigNotSaved(f"{path}: not saved, the new text did not read back the same")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if old is not None:
            _replace_with(path.with_name(path.name + ".bak"), old.encode("utf-8"))
        _replace_with(path, text.encode("utf-8"))
        _fsync_dir(path.parent)
    except OSError as exc:
        raise ConfigNotSaved(f"{path}: not saved, {_reason(exc)}; the file is unchanged") from exc


def export_watchlist(config: Config, path: Path | None = None) -> str:
    """The watchlist as TOML for sharing: no settings, and no credentials — none written
    in addresses (user:password@, ?token=…), none in extra headers (Authorization, API
    keys, cookies); secrets are named, never included. Written to `path` when given."""
    services = tuple(
        replace(s, url=_shareable_url(s.url), headers=_shareable_headers(s.headers))
        for s in config.services
    )
    text = dumps(Config(services=services))
    if path is not None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigNotSaved(f"{path}: not written, {_reason(exc)}") from exc
    return text


# Names that say a header or a query parameter carries a credential.
_CREDENTIAL_NAME = re.compile(
    r"auth|token|secret|passw|pwd|api[-_]?key|apikey|access[-_]?key|signature|sig$|cookie|session",
    re.IGNORECASE,
)


def _shareable_url(url: str) -> str:
    parts = urlsplit(without_userinfo(url))
    if not parts.query:
        return urlunsplit(parts)
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _CREDENTIAL_NAME.search(k)
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _shareable_headers(
    headers: tuple[tuple[str, str], ...] | None,
) -> tuple[tuple[str, str], ...] | None:
    if not headers:
        return headers
    kept = tuple((k, v) for k, v in headers if not _CREDENTIAL_NAME.search(k))
    return kept or None


def without_userinfo(url: str) -> str:
    """`url` without the `user:password@` part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _existing_text(path: Path) -> str | None:
    """The current file's text, or None if there is none. A file the user broke by
    hand holds their work: refuse rather than replace it."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigNotSaved(f"{path}: not saved, it cannot be read ({_reason(exc)})") from exc
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not overwritten, it is not UTF-8 text") from None
    try:
        validate(tomllib.loads(text), path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not overwritten, it does not parse ({exc})") from None
    return text


def _replace_with(path: Path, data: bytes) -> None:
    """Atomically: `path` has its old content or `data`, whenever the process dies."""
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (e.g. Windows)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(config: Config, base: str | None = None) -> str:
    """TOML text for a config; defaults are left out so the file stays short. Given
    the text it replaces (`base`), that text is edited in place: comments, order and
    the spelling of unchanged values stay as the user wrote them."""
    import tomlkit

    document = tomlkit.parse(base) if base else tomlkit.document()
    _merge(document, "settings", _values(config.settings, SETTINGS_OPTIONS), SETTINGS_OPTIONS)
    _merge(
        document,
        "notifications",
        _values(config.notifications, NOTIFICATION_OPTIONS),
        NOTIFICATION_OPTIONS,
    )
    _merge_services(document, config.services)
    return tomlkit.dumps(document)


def _values(source: object, options: tuple[Option, ...]) -> dict[str, Any]:
    """The options of a settings object or service, as TOML values."""
    values: dict[str, Any] = {}
    for option in options:
        value = getattr(source, option.name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # interval = 120, not 120.0 (the schema reads both)
        elif isinstance(value, tuple):
            value = dict(value) if option.type is dict else list(value)
        values[option.name] = value
    return values


def _merge(
    container: MutableMapping[str, Any],
    name: str,
    values: dict[str, Any],
    options: tuple[Option, ...],
) -> None:
    """Make table `name` of `container` say `values`, touching only what differs."""
    import tomlkit

    table = container.get(name)
    if table is None:
        if all(values[o.name] in (None, o.default) for o in options):
            return
        table = tomlkit.table()
        _merge_table(table, values, options)
        container[name] = table
    else:
        _merge_table(table, values, options)


def _merge_table(
    table: MutableMapping[str, Any], values: dict[str, Any], options: tuple[Option, ...]
) -> None:
    import tomlkit

    for option in options:
        key, value = option.name, values[option.name]
        default = value is None or (not option.required and value == option.default)
        if key in table:
            if _plain(table[key]) == value:
                continue  # as the user wrote it (also a default written out on purpose)
            if default:
                del table[key]
                continue
        elif default:
            continue
        if isinstance(value, dict):
            inline = tomlkit.inline_table()
            inline.update(value)
            value = inline
        table[key] = value


def _merge_services(document: MutableMapping[str, Any], services: tuple[Any, ...]) -> None:
    """Services keep their tables (and the comments in them) when matched by name,
    else by address; new ones are appended, removed ones dropped, order followed."""
    import tomlkit
    from tomlkit.items import AoT

    existing = document.get("services")
    tables = list(existing) if isinstance(existing, AoT) else []
    if existing is not None and not tables:
        del document["services"]  # an inline array: rewritten as [[services]] at the end
    by_name = {_plain(t.get("name", "")).strip().casefold(): i for i, t in enumerate(tables)}
    by_url = {_plain(t.get("url", "")): i for i, t in enumerate(tables)}
    if not services:
        document.pop("services", None)
        return
    used: set[int] = set()
    array = tomlkit.aot()
    for service in services:
        index = by_name.get(service.name.casefold(), by_url.get(service.url))
        if index is None or index in used:
            table = tomlkit.table()
        else:
            used.add(index)
            table = tables[index]
        _merge_table(table, _values(service, SERVICE_OPTIONS), SERVICE_OPTIONS)
        array.append(table)
    document["services"] = array


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item
