"""Plain text out of the HTML-ish strings status pages publish."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SPACES = re.compile(r"[ \t\r\f\v]+")


def plain_text(value: object) -> str:
    """The text a reader of the HTML would see: tags gone, entities decoded once,
    structure kept as line breaks and bullets, links with their http(s) target shown,
    nothing of scripts or styles. Text that is not HTML passes through (its line
    breaks kept). Whitespace tidied. Never raises."""
    if not isinstance(value, str):
        return ""
    reader = _TextReader()
    reader.feed(value)
    reader.close()
    text = _SPACES.sub(" ", "".join(reader.parts))
    # No blank lines, by whatever separates lines (also \x1e or \x85, as splitlines() has it).
    return "\n".join(line for line in (part.strip() for part in text.splitlines()) if line)


class _TextReader(HTMLParser):
    """An allow-list: block elements and line breaks become new lines, list items
    bullets, links their text followed by an http(s) target; what is not content for
    a reader (scripts, styles, frames…) is dropped with its text; any other tag is
    dropped and its text kept."""

    LINE_BREAKS = frozenset(
        "address article aside blockquote br dd div dl dt footer h1 h2 h3 h4 h5 h6 header"  # noqa: SIM905
        " hr li ol p pre section table tr ul".split()
    )
    NOT_CONTENT = frozenset("head iframe math noscript script style svg template".split())  # noqa: SIM905

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities in text and attributes, once
        self.parts: list[str] = []
        self._hidden = 0  # depth inside elements whose text is dropped
        self._links: list[tuple[str | None, int]] = []  # (http(s) target, where its text starts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.NOT_CONTENT:
            self._hidden += 1
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in self.LINE_BREAKS:
            self.parts.append("\n")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            web = href.lower().startswith(("http://", "https://"))
            self._links.append((href if web else None, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.LINE_BREAKS:  # <br/>; a self-closed <script/> holds nothing
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.NOT_CONTENT:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.LINE_BREAKS:
            self.parts.append("\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            shown = " ".join("".join(self.parts[start:]).split())
            if href and shown != href:
                self.parts.append(f" ({href})" if shown else href)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # "<![word[": the standard library asserts on unknown keywords; a browser skips
        # such a thing to the next ">" (a bogus comment), and so do we.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1
