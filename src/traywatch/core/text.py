"""Plain text out of the HTML-ish strings status pages publish."""

from __future__ import annotations

import html
import re

_BREAKS = re.compile(r"<\s*/?\s*(br|p|li|div|h\d|tr|ul|ol)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def plain_text(value: object) -> str:
    """Tags removed, entities decoded, whitespace tidied. Never raises."""
    if not isinstance(value, str):
        return ""
    text = _BREAKS.sub("\n", value)
    text = _TAGS.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def one_line(value: str, limit: int = 160) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def without_credentials(text: str) -> str:
    """Mask the user:password part of every URL in `text`."""
    return _USERINFO.sub(r"\1***@", text)
