"""Incident text from the internet, shown readable but safe.

Providers reduce bodies to plain text (core.text.plain_text reads their HTML with
html.parser through an allow-list). Here that text becomes HTML again from an
allow-list of our own: every character escaped, lines and bullet lists kept, and
only http(s) addresses made links, each showing its target. The browser widget
loads no resource (no remote image, style or anything else), runs nothing, and opens
a link only in the external browser, only when clicked, only for http(s)."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from traywatch.core.model import Incident, Maintenance, Snapshot
from traywatch.ui.palette import error_text

BULLET = "• "  # how plain_text writes a list item
MAX_TEXT = 20_000  # characters of one update shown; the rest is cut with a note
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "at an unknown time"
    seconds = int((now - moment).total_seconds())
    if seconds < 0:
        return "in the future"
    if seconds < 60:
        return "just now"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if days:
        return f"{days} d {hours % 24} h ago"
    if hours:
        return f"{hours} h {minutes % 60} min ago"
    return f"{minutes} min ago"


def safe_paragraphs(text: str) -> str:
    """Plain text as HTML: escaped; lines kept; "• " lines as a list; http(s) addresses
    as links that show their target."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + f"… (cut: {len(text) - MAX_TEXT} more characters)"
    blocks: list[str] = []
    lines: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith(BULLET):
            if lines:
                blocks.append("<br>".join(lines))
                lines = []
            items.append(f"<li>{_linked(line[len(BULLET) :])}</li>")
        else:
            if items:
                blocks.append(f"<ul>{''.join(items)}</ul>")
                items = []
            lines.append(_linked(line))
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    if lines:
        blocks.append("<br>".join(lines))
    return "".join(blocks)


def _linked(line: str) -> str:
    out: list[str] = []
    last = 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(".,;:)")
        out.append(html.escape(line[last : match.start()]))
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        last = match.start() + len(url)
    out.append(html.escape(line[last:]))
    return "".join(out)


def _link(title: str, url: str | None) -> str:
    """The title as a link to an http(s) page, with the page's host shown beside it."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        host = None
    if not url or not host or not url.lower().startswith(("https://", "http://")):
        return html.escape(title)
    return (
        f'<a href="{html.escape(url, quote=True)}">{html.escape(title)}</a> ({html.escape(host)})'
    )


def incident_html(incident: Incident, now: datetime, seen_before: datetime | None) -> str:
    started = (
        incident.started_at.astimezone().strftime("%d %b %H:%M") if incident.started_at else "?"
    )
    parts = [
        f"<h3>{_link(incident.title, incident.url)}</h3>",
        f"<p><b>{html.escape(incident.severity.label)}</b> · {html.escape(incident.status)}"
        f" · started {html.escape(started)} ({ago(incident.started_at, now)})</p>",
    ]
    if incident.components:
        parts.append(f"<p>Affects: {html.escape(', '.join(incident.components))}</p>")
    for update in incident.updates:
        new = seen_before is not None and update.at is not None and update.at > seen_before
        when = update.at.astimezone().strftime("%d %b %H:%M") if update.at else "?"
        marker = f' <span style="color:{error_text()}"><b>NEW</b></span>' if new else ""
        parts.append(
            f"<p><b>{html.escape(when)}</b> ({ago(update.at, now)}) · "
            f"<i>{html.escape(update.status)}</i>{marker}<br>{safe_paragraphs(update.text)}</p>"
        )
    return "".join(parts)


def maintenance_html(maintenance: Maintenance) -> str:
    def when(moment: datetime | None) -> str:
        return moment.astimezone().strftime("%d %b %H:%M") if moment else "?"

    state = "in progress" if maintenance.active else "scheduled"
    return (
        f"<p>{_link(maintenance.title, maintenance.url)} · {state} · "
        f"{when(maintenance.starts_at)} to {when(maintenance.ends_at)}</p>"
    )


def details_html(snapshot: Snapshot, now: datetime, seen_before: datetime | None) -> str:
    parts = []
    active = snapshot.active_incidents
    if active:
        parts.append("<h2>Active incidents</h2>")
        parts += [incident_html(i, now, seen_before) for i in active]
    else:
        parts.append("<p>No active incident.</p>")
    if snapshot.maintenances:
        parts.append("<h2>Maintenance</h2>")
        parts += [maintenance_html(m) for m in snapshot.maintenances]
    return "".join(parts)


class SafeBrowser(QTextBrowser):
    """Shows our HTML; loads nothing; hands clicked http(s) links on, and only those."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.blocked: list[str] = []  # what a page tried to load (kept for the tests)
        self.anchorClicked.connect(self._clicked)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        self.blocked.append(url.toString() if isinstance(url, QUrl) else str(url))
        return None

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            self.link_activated.emit(url.toString())

    def show_html(self, text: str) -> None:
        self.setHtml(text)
