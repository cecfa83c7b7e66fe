"""The explicit registry of status-page formats.

Nothing runs at import, and no provider module is loaded until it is used: the
tray shows its first icon before any of them is needed."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from traywatch.core.model import Snapshot
    from traywatch.providers.base import Provider

# kind -> (module, class); the order is the order detection tries them in.
_REGISTRY: dict[str, tuple[str, str]] = {
    "statuspage": ("traywatch.providers.statuspage", "StatuspageProvider"),
    "heroku": ("traywatch.providers.heroku", "HerokuProvider"),
}

KINDS: tuple[str, ...] = tuple(_REGISTRY)
# Kinds whose responses look like another's: only chosen from the address or by `refine`.
_NOT_DETECTABLE = frozenset({"incidentio"})


@cache
def get_provider(kind: str) -> Provider:
    try:
        module_name, class_name = _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})") from None
    provider: Provider = getattr(importlib.import_module(module_name), class_name)()
    return provider


def detection_order(base_url: str) -> tuple[Provider, ...]:
    """Providers to try for a URL whose kind is not configured: those that recognise
    the address first, then every kind that can be told from its response."""
    providers = [get_provider(kind) for kind in KINDS if kind not in _NOT_DETECTABLE]
    return tuple(sorted(providers, key=lambda p: not p.recognises(base_url)))


def refine(provider: Provider, snapshot: Snapshot) -> Provider:
    """A detected kind made precise by what the page said about itself."""
    if provider.kind == "statuspage" and snapshot.extra.get("platform") == "incidentio":
        return get_provider("incidentio")
    return provider


__all__ = ["KINDS", "detection_order", "get_provider", "refine"]
