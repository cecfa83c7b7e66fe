"""The explicit registry of status-page formats.

Nothing runs at import, and no provider module is loaded until it is used: the
tray shows its first icon before any of them is needed."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from traywatch.providers.base import Provider

# kind -> (module, class); the order is the order detection tries them in.
_REGISTRY: dict[str, tuple[str, str]] = {
    "statuspage": ("traywatch.providers.statuspage", "StatuspageProvider"),
    "heroku": ("traywatch.providers.heroku", "HerokuProvider"),
}

KINDS: tuple[str, ...] = tuple(_REGISTRY)


@cache
def get_provider(kind: str) -> Provider:
    try:
        module_name, class_name = _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})") from None
    provider: Provider = getattr(importlib.import_module(module_name), class_name)()
    return provider


def detection_order(base_url: str) -> tuple[Provider, ...]:
    """Providers to try for a URL whose kind is not configured, likeliest first."""
    kinds = list(KINDS)
    if "heroku" in base_url.lower():
        kinds.sort(key=lambda kind: kind != "heroku")
    return tuple(get_provider(kind) for kind in kinds)


__all__ = ["KINDS", "detection_order", "get_provider"]
