"""Plain text out of the HTML-ish strings status pages publish, and text helpers."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def plain_text(value: object) -> str:
    """The text a reader of the HTML would see (see core.html_text.plain_text)."""
    # Imported on first use: this module is loaded before the tray icon shows (for the
    # log's redaction), html.parser is not needed there (measured ~6 ms).
    from traywatch.core.html_text import plain_text as html_plain_text

    return html_plain_text(value)


def one_line(value: str, limit: int = 160) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def without_credentials(text: str) -> str:
    """Mask the user:password part of every URL in `text`."""
    return _USERINFO.sub(r"\1***@", text)


def without_controls(text: str) -> str:
    """`text` without C0 and C1 control characters (tab and newline stay): safe to
    print on a terminal, where ESC and CSI sequences would be obeyed."""
    return _CONTROLS.sub("", text)
