"""Incident text from a page, through plain_text and the window's HTML: whatever a page
sends, the window shows only our own markup, loads nothing and links only to http(s)."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from traywatch.core.model import Incident, IncidentUpdate, Maintenance, Severity, Snapshot
from traywatch.core.text import plain_text
from traywatch.ui.safe_text import SafeBrowser, details_html, safe_paragraphs

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
# Our own markup, and the only attributes it carries.
ALLOWED = {"a": {"href"}, "br": set(), "p": set(), "b": set(), "i": set(), "h2": set()}
ALLOWED |= {"h3": set(), "ul": set(), "li": set(), "span": {"style"}}


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def markup(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser.tags


hostile_pieces = st.sampled_from(
    [
        "<script>alert('x')</script>",
        "<img src='https://evil.test/p.png'>",
        "<a href='javascript:alert(1)'>click</a>",
        "<a href='https://ok.test/a?b=1&amp;c=\"2\"'>ok</a>",
        '<a href="https://evil.test/" onclick="x()">',
        "<iframe src='https://evil.test'></iframe>",
        "<p style=\"background:url('https://evil.test/b.png')\">",
        "<ul><li>one</li><li>two",
        "&lt;img src=x&gt;",
        "&amp;lt;b&amp;gt;",
        "a < b and c > d",
        "https://status.test/incidents/1).",
        'http://x.test/"onmouseover="y',
        "<link rel=stylesheet href=https://evil.test/s.css>",
        "<svg><image href='https://evil.test/i.png'/></svg>",
        "\n• ",
        "<![x[",
        "<",
        ">",
        "&",
        '"',
        "'",
    ]
)
page_text = st.lists(hostile_pieces | st.text(max_size=6), max_size=12).map("".join)


def check(html: str) -> None:
    for tag, attrs in markup(html):
        assert tag in ALLOWED, (tag, html)
        assert set(attrs) <= ALLOWED[tag], (tag, attrs, html)
        if tag == "a":  # a link to a web page, whatever its address holds after that
            href = attrs["href"]
            assert href is not None
            assert urlsplit(href).scheme in ("http", "https"), href
            assert href.lower().startswith(("https://", "http://")), href


@settings(max_examples=300)
@given(page_text)
def test_no_page_text_makes_markup_a_load_or_a_script_link(text: str) -> None:
    check(safe_paragraphs(plain_text(text)))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page_text, page_text, page_text)
@example(title="", body="", url="https://s.test/1).<a href='javascript:alert(1)'>click</a>")
def test_whole_details_from_hostile_pages_stay_safe_in_the_widget(
    qapp: QApplication, title: str, body: str, url: str
) -> None:
    incident = Incident(
        id="i",
        title=plain_text(title),
        severity=Severity.MAJOR_OUTAGE,
        status=plain_text(body)[:20],
        started_at=NOW,
        updated_at=NOW,
        url=url,
        components=(plain_text(title),),
        updates=(IncidentUpdate(NOW, "investigating", plain_text(body)),),
    )
    maintenance = Maintenance(
        id="m", title=plain_text(body), status="in_progress", starts_at=NOW, ends_at=None, url=url
    )
    snapshot = Snapshot(
        severity=Severity.MAJOR_OUTAGE,
        summary="x",
        incidents=(incident,),
        maintenances=(maintenance,),
        fetched_at=NOW,
    )
    html = details_html(snapshot, NOW, None)
    check(html)
    browser = SafeBrowser()
    try:
        browser.show_html(html)
        browser.grab()  # laid out and painted: when images would be fetched
        assert browser.blocked == []
    finally:
        browser.deleteLater()


def test_text_that_merely_looks_like_markup_survives() -> None:
    html = safe_paragraphs(plain_text("a < b and c > d; &lt;script&gt; is text"))
    assert html == "a &lt; b and c &gt; d; &lt;script&gt; is text"


def test_links_and_lists_from_a_page_read_well() -> None:
    text = plain_text(
        "Affected:<ul><li>Apps</li><li>API, see <a href='https://s.test/1'>details</a></li></ul>"
        "<a href='javascript:steal()'>Click here</a>"
    )
    assert safe_paragraphs(text) == (
        "Affected:<ul><li>Apps</li><li>API, see details "
        '(<a href="https://s.test/1">https://s.test/1</a>)</li></ul>Click here'
    )


def test_a_title_link_shows_where_it_goes() -> None:
    incident = Incident(
        id="i",
        title="Login issues",
        severity=Severity.DEGRADED,
        status="investigating",
        started_at=NOW,
        updated_at=NOW,
        url="https://evil.test/phish",
    )
    snapshot = Snapshot(
        severity=Severity.DEGRADED, summary="x", incidents=(incident,), fetched_at=NOW
    )
    assert '<a href="https://evil.test/phish">Login issues</a> (evil.test)' in details_html(
        snapshot, NOW, None
    )
