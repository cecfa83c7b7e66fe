"""Reading a web page for the status API it publishes (add by address)."""

from __future__ import annotations

from tests.conftest import fixture_bytes
from traywatch.probe import ApiLink, api_links

CIRCLECI = fixture_bytes("html/circleci-statuspage-head.html").decode("utf-8")


def test_a_statuspage_page_names_its_own_address_first() -> None:
    links = api_links(CIRCLECI, "https://status.circleci.com/incidents/8f4dh2")
    assert links[:2] == [
        ApiLink("https://status.circleci.com", "statuspage", "its own address (a Statuspage page)"),
        ApiLink("https://6w4r0ttlx5ft.statuspage.io", "statuspage", "its Statuspage address"),
    ]
    # its history feeds come last: what traywatch can read when nothing better answers
    assert [link.kind for link in links[2:]] == ["feed", "feed"]
    assert links[2].url == "https://6w4r0ttlx5ft.statuspage.io/history.atom"


def test_the_address_already_tried_is_not_offered_again() -> None:
    links = api_links(CIRCLECI, "https://status.circleci.com/")
    assert "https://status.circleci.com" not in [link.url for link in links]
    assert links[0].url == "https://6w4r0ttlx5ft.statuspage.io"


def test_a_status_io_page_names_its_page_id() -> None:
    page = '<html><head><script>var statuspage_id: "5b36dc6502d06804c08349f7";</script>'
    (link,) = api_links(page, "https://status.gitlab.com")
    assert link == ApiLink(
        "https://api.status.io/1.0/status/5b36dc6502d06804c08349f7",
        "statusio",
        "its status.io page id",
    )


def test_a_site_that_links_to_its_status_page() -> None:
    page = (
        "<html><body><a href='/pricing'>Pricing</a>"
        "<a href='https://status.example.com/'>Status</a>"
        "<a href='https://www.example-status.net'>Is it up?</a></body></html>"
    )
    links = api_links(page, "https://www.example.com/")
    assert [(link.url, link.kind) for link in links] == [
        ("https://status.example.com", None),
        ("https://www.example-status.net", None),
    ]


def test_a_page_without_any_offers_nothing() -> None:
    assert api_links("<html><body><p>Hello</p></body></html>", "https://example.com") == []
    assert api_links("not html at all", "https://example.com") == []
