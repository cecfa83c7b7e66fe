"""The explicit registry of status-page formats. Nothing runs at import."""

from __future__ import annotations

from traywatch.providers.base import Provider
from traywatch.providers.heroku import HerokuProvider
from traywatch.providers.statuspage import StatuspageProvider

_PROVIDERS: dict[str, Provider] = {p.kind: p for p in (StatuspageProvider(), HerokuProvider())}

KINDS: tuple[str, ...] = tuple(_PROVIDERS)


def get_provider(kind: str) -> Provider:
    try:
        return _PROVIDERS[kind]
    except KeyError:
        raise KeyError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})") from None


def detection_order(base_url: str) -> tuple[Provider, ...]:
    """Providers to try for a URL whose kind is not configured, likeliest first."""
    ordered = list(_PROVIDERS.values())
    if "heroku" in base_url.lower():
        ordered.sort(key=lambda p: p.kind != "heroku")
    return tuple(ordered)


__all__ = ["KINDS", "Provider", "detection_order", "get_provider"]
