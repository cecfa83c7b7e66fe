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
    "incidentio": ("traywatch.providers.incidentio", "IncidentioProvider"),
    "heroku": ("traywatch.providers.heroku", "HerokuProvider"),
    "google-cloud": ("traywatch.providers.google_cloud", "GoogleCloudProvider"),
    "aws": ("traywatch.providers.aws", "AwsProvider"),
    "azure": ("traywatch.providers.azure", "AzureProvider"),
    "slack": ("traywatch.providers.slack", "SlackProvider"),
    "instatus": ("traywatch.providers.instatus", "InstatusProvider"),
    "statusio": ("traywatch.providers.statusio", "StatusioProvider"),
    "betterstack": ("traywatch.providers.betterstack", "BetterstackProvider"),
    "cachet": ("traywatch.providers.cachet", "CachetProvider"),
    "uptime-kuma": ("traywatch.providers.uptime_kuma", "UptimeKumaProvider"),
    "gatus": ("traywatch.providers.gatus", "GatusProvider"),
    "feed": ("traywatch.providers.feed", "FeedProvider"),
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
    """Providers to try for a URL whose kind is not configured: those that recognise
    the address first, then every kind that can be told from its response."""
    providers = [get_provider(kind) for kind in KINDS]
    recognised = [p for p in providers if p.recognises(base_url)]
    probed = [p for p in providers if p.detect_by_response and p not in recognised]
    return tuple(recognised + probed)


def refine(provider: Provider, snapshot: Snapshot) -> Provider:
    """A detected kind made precise by what the page said about itself."""
    if provider.kind == "statuspage" and snapshot.extra.get("platform") == "incidentio":
        return get_provider("incidentio")
    return provider


__all__ = ["KINDS", "detection_order", "get_provider", "refine"]
