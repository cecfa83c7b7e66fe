"""Secrets (tokens, passwords) live in the OS keyring only; the config names them.

The backend is chosen by `keyring` (Secret Service on Linux, Keychain on macOS,
Credential Manager on Windows). When only an unusable or a plain-text backend is
available, saving is refused unless the caller explicitly accepts a file backend
it was told is less safe. Secret values never appear in messages."""

from __future__ import annotations

from dataclasses import dataclass

from traywatch.core.errors import TraywatchError

SERVICE = "traywatch"


class SecretsUnavailable(TraywatchError):
    """No keyring backend that can keep a secret safely."""


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    usable: bool  # can store and read at all
    secure: bool  # encrypted at rest / guarded by the OS


def backend() -> Backend:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return Backend("keyring is not installed", usable=False, secure=False)
    current = keyring.get_keyring()
    name = f"{type(current).__module__}.{type(current).__name__}"
    if isinstance(current, fail.Keyring):
        return Backend("no keyring backend found", usable=False, secure=False)
    plain = any(word in name.lower() for word in ("plaintext", "chainer", "null"))
    return Backend(name, usable=True, secure=not plain)


def get_secret(ref: str) -> str | None:
    """The secret named `ref`, or None when it is not stored."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, ref)
    except KeyringError as exc:
        raise SecretsUnavailable(f"the keyring could not be read ({type(exc).__name__})") from None


def set_secret(ref: str, value: str, *, allow_insecure: bool = False) -> Backend:
    import keyring
    from keyring.errors import KeyringError

    chosen = backend()
    if not chosen.usable:
        raise SecretsUnavailable(f"cannot store '{ref}': {chosen.name}")
    if not chosen.secure and not allow_insecure:
        raise SecretsUnavailable(
            f"cannot store '{ref}': the only keyring backend ({chosen.name}) keeps secrets "
            "in a plain file; allow that explicitly to use it"
        )
    try:
        keyring.set_password(SERVICE, ref, value)
    except KeyringError as exc:
        raise SecretsUnavailable(f"cannot store '{ref}': {type(exc).__name__}") from None
    return chosen


def delete_secret(ref: str) -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, ref)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise SecretsUnavailable(f"cannot delete '{ref}': {type(exc).__name__}") from None
    return True
