"""load_xml, which every XML format goes through: no DTD anywhere in any encoding, and no
more text out than the cap, whatever the bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traywatch.core.errors import ParseError
from traywatch.providers.base import load_xml

BOMB = (
    '<!DOCTYPE rss [<!ENTITY a "{text}">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<rss><channel><item><title>&c;</title></item></channel></rss>"
)


def encoded(text: str, encoding: str) -> bytes:
    """The document in `encoding`, declared (Python writes a BOM for plain UTF-16/32)."""
    return (f'<?xml version="1.0" encoding="{encoding}"?>' + text).encode(encoding.lower())


@pytest.mark.parametrize(
    "body",
    [
        BOMB.format(text="x" * 10).encode(),
        b"<!-- " + b"x" * 70_000 + b" -->" + BOMB.format(text="x").encode(),
        b"\n" * 5000 + BOMB.format(text="x").encode(),
        encoded(BOMB.format(text="x"), "UTF-16"),
        b"<?xml version='1.0'?><!-- c --><!DOCTYPE rss SYSTEM 'https://evil.test/x.dtd'><rss/>",
        b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE rss><rss>\xe9</rss>',
    ],
)
def test_a_doctype_is_refused_anywhere_in_any_encoding(body: bytes) -> None:
    with pytest.raises(ParseError, match="documents with a DTD are not accepted"):
        load_xml(body, "an RSS or Atom feed")


@given(
    prefix=st.lists(
        st.sampled_from(["<!-- comment -->", "<?pi data?>", " ", "\n", "\t"]), max_size=20
    ).map("".join),
    encoding=st.sampled_from(["UTF-8", "UTF-16", "UTF-16-BE", "UTF-32", "ISO-8859-1"]),
)
def test_no_encoding_or_prologue_hides_a_doctype(prefix: str, encoding: str) -> None:
    text = prefix + '<!DOCTYPE feed [<!ENTITY e "boom">]><feed>&e;</feed>'
    with pytest.raises(ParseError, match=r"DTD|invalid XML|unreadable XML"):
        load_xml(encoded(text, encoding), "a feed")


def test_an_encoding_expat_cannot_read_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="unreadable XML"):
        load_xml(encoded("<rss/>", "UTF-16-BE"), "a feed")  # no BOM, only a declaration


def test_an_html_page_is_named_as_such() -> None:
    with pytest.raises(ParseError, match="the server returned HTML"):
        load_xml(b"<!DOCTYPE html><html><body>Sign in</body></html>", "a feed")


def test_the_parsed_text_is_capped_too() -> None:
    body = ("<rss>" + "<item>" + "x" * 900 + "</item>" * 1 + "</rss>").encode()
    assert load_xml(body, "a feed", max_text=1000).tag == "rss"
    with pytest.raises(ParseError, match="more than 500 characters of text"):
        load_xml(body, "a feed", max_text=500)
    attributes = ("<rss>" + "<i a='" + "y" * 600 + "'/>" + "</rss>").encode()
    with pytest.raises(ParseError, match="more than 500 characters"):
        load_xml(attributes, "a feed", max_text=500)


def test_ordinary_feeds_still_parse() -> None:
    root = load_xml(
        encoded(
            "<feed xmlns='http://www.w3.org/2005/Atom'><title>t &amp; u</title></feed>", "UTF-16"
        ),
        "a feed",
    )
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root[0].text == "t & u"
    with pytest.raises(ParseError, match="empty response"):
        load_xml(b"  \n", "a feed")
    with pytest.raises(ParseError, match="invalid XML"):
        load_xml(b"<rss><channel>", "a feed")
