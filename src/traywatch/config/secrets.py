"""Secrets (tokens, passwords) live in the OS keyring only; the config names them.

The backend is chosen by `keyring` (Secret Service on Linux, Keychain on macOS,
Credential Manager on Windows). Whether it is safe is decided from the stores it
resolved to — a chainer is as safe as every store in its chain — by keyring's own
measure: a priority of 1 or more is a recommended (OS-guarded) store; below that
are plain or merely obfuscated files, and at 0 or less nothing is stored at all.
A store that is not safe is used only when the caller explicitly accepts it; one
that stores nothing never is, and every write is read back. Secret values never
appear in messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from traywatch.core.errors import TraywatchError

SERVICE = "traywatch"

# Where each of keyring's own OS stores keeps secrets, in words a user knows.
_PLAIN_WORDS = {
    "keyring.backends.SecretService": "the desktop keyring (Secret Service)",
    "keyring.backends.libsecret": "the desktop keyring (Secret Service)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.macOS": "the macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}


class SecretsUnavailable(TraywatchError):
    """No keyring backend that can keep a secret safely."""


@dataclass(frozen=True, slots=True)
class Backend:
    name: str  # where secrets go, in plain words (for the settings window and the CLI)
    usable: bool  # can store and read at all
    secure: bool  # every store it may use is guarded by the OS
    detail: str = ""  # what keyring calls its stores, for bug reports


def backend() -> Backend:
    try:
        import keyring
    except ImportError:
        return Backend("nowhere: keyring is not installed", usable=False, secure=False)
    try:
        chosen = keyring.get_keyring()
    except RuntimeError as exc:  # a configured backend that cannot run here
        return Backend("no usable keyring: nothing can be stored", False, False, str(exc))
    return assess(chosen)


def assess(chosen: Any) -> Backend:
    """Judge the backend keyring chose by the stores it resolves to."""
    from keyring.backends.chainer import ChainerBackend

    stores = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    priorities = [_priority(store) for store in stores]
    detail = ", ".join(
        f"{type(store).__module__}.{type(store).__name__} (priority {priority:g})"
        for store, priority in zip(stores, priorities, strict=True)
    )
    if not stores or min(priorities) <= 0:
        return Backend("no usable keyring: nothing can be stored", False, False, detail)
    # Secrets go to the first store; a chain falls back to the others when it refuses.
    name = _plain_name(stores[0])
    weak = [_plain_name(s) for s, p in zip(stores[1:], priorities[1:], strict=True) if p < 1]
    if weak:
        name += f", falling back to {' and '.join(weak)}"
    return Backend(name, True, min(priorities) >= 1, detail)


def _priority(store: Any) -> float:
    try:
        return float(store.priority)
    except RuntimeError:  # keyring's way of saying a store cannot work here
        return -1.0


def _plain_name(store: Any) -> str:
    module = type(store).__module__
    for prefix, words in _PLAIN_WORDS.items():
        if module == prefix or module.startswith(prefix + "."):
            return words
    path = getattr(store, "file_path", None)  # the file-based stores of keyrings.alt
    if isinstance(path, str):
        return f"a file ({path})"
    return f"the keyring store '{store.name}'"


def get_secret(ref: str) -> str | None:
    """The secret named `ref`, or None when it is not stored."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, ref)
    except KeyringError as exc:
        raise SecretsUnavailable(f"the keyring could not be read ({type(exc).__name__})") from exc


def set_secret(ref: str, value: str, *, allow_insecure: bool = False) -> Backend:
    import keyring
    from keyring.errors import KeyringError

    chosen = backend()
    if not chosen.usable:
        raise SecretsUnavailable(f"cannot store '{ref}': {chosen.name}")
    if not chosen.secure and not allow_insecure:
        raise SecretsUnavailable(
            f"cannot store '{ref}': secrets would be kept in {chosen.name}, which anyone who "
            "can read your files may read; allow that explicitly to use it"
        )
    try:
        keyring.set_password(SERVICE, ref, value)
        kept = keyring.get_password(SERVICE, ref)
    except KeyringError as exc:
        raise SecretsUnavailable(f"cannot store '{ref}': {type(exc).__name__}") from exc
    if kept != value:
        raise SecretsUnavailable(
            f"cannot store '{ref}': {chosen.name} accepted it but did not keep it"
        )
    return chosen


def delete_secret(ref: str) -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, ref)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise SecretsUnavailable(f"cannot delete '{ref}': {type(exc).__name__}") from exc
    return True
