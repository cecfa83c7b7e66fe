"""The small interface every status-page format implements.

A provider knows a *format*, not a service: which URL(s) to fetch for a page's
base URL, and a pure `parse` that turns the body into a Snapshot (no I/O), so
that it is testable on recorded payloads."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from traywatch.core.errors import ParseError
from traywatch.core.model import Snapshot


@dataclass(frozen=True, slots=True)
class ProviderOptions:
    """What a service's config narrows a page down to (e.g. one AWS region)."""

    region: str | None = None
    products: tuple[str, ...] = ()


NO_OPTIONS = ProviderOptions()
NO_EXTRA: Mapping[str, bytes] = {}


class Provider(Protocol):
    kind: str
    title: str  # human name of the format, for messages

    def endpoints(self, base_url: str) -> tuple[str, ...]:
        """URLs to try in order; the first that fetches and parses wins."""
        ...

    def extra_documents(self, base_url: str) -> tuple[str, ...]:
        """Further URLs fetched after the main one (all needed), passed to parse as `extra`."""
        ...

    def optional_documents(self, base_url: str) -> tuple[str, ...]:
        """Further URLs that add detail when they answer (passed in `extra` if they do)."""
        ...

    def recognises(self, base_url: str) -> bool:
        """True when the address alone says this is the format (used by detection)."""
        ...

    @property
    def detect_by_response(self) -> bool:
        """Whether detection may probe this format's endpoints on any address."""
        ...

    def parse(
        self,
        body: bytes,
        *,
        fetched_at: datetime,
        page_url: str,
        options: ProviderOptions = NO_OPTIONS,
        extra: Mapping[str, bytes] = NO_EXTRA,
    ) -> Snapshot:
        """Pure: body in, snapshot out. Raises ParseError with a short human reason."""
        ...


class BaseProvider:
    """Defaults for the optional parts of the interface."""

    kind = ""
    title = ""
    hosts: tuple[str, ...] = ()  # host names that can only be this format
    # False for formats served by one vendor's own host (or needing an exact API
    # address): probing them on any other address would only add failed requests.
    detect_by_response = True

    def extra_documents(self, base_url: str) -> tuple[str, ...]:
        return ()

    def optional_documents(self, base_url: str) -> tuple[str, ...]:
        return ()

    def recognises(self, base_url: str) -> bool:
        from urllib.parse import urlsplit

        host = (urlsplit(base_url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def join_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def load_json(body: bytes, what: str) -> Any:
    """Decode a JSON body, explaining plainly what arrived instead."""
    text = decode_text(body, what).lstrip()
    if not text:
        raise ParseError("empty response")
    if text[:1] == "<":
        raise ParseError(f"not {what}: the server returned HTML or XML")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not {what}: invalid JSON at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise ParseError(f"not {what}: JSON nested too deeply") from None


def require_mapping(data: object, what: str, key: str | None = None) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        where = f"'{key}' " if key else ""
        raise ParseError(f"not {what}: {where}is not an object")
    return data


def as_list(value: object) -> list[Any]:
    """Lists that pages send as null, missing or (wrongly) as other types become []."""
    return list(value) if isinstance(value, list) else []


MAX_XML_TEXT = 5 * 1024 * 1024  # characters of text and attribute values in one document


def load_xml(body: bytes, what: str, max_text: int = MAX_XML_TEXT) -> Any:
    """An XML document's root element. A DTD is refused wherever it appears and in any
    encoding (feeds need none, and entity expansion is how XML bombs work); the text
    the document expands to is capped too."""
    import xml.etree.ElementTree as ElementTree

    if not body.strip():
        raise ParseError("empty response")
    parser = ElementTree.XMLParser(target=_GuardedTreeBuilder(what, max_text))
    try:
        parser.feed(body)
        return parser.close()
    except ElementTree.ParseError as exc:
        raise ParseError(f"not {what}: invalid XML ({exc})") from None
    except ValueError as exc:  # e.g. a declared "UTF-16-BE", which expat cannot decode
        raise ParseError(f"not {what}: unreadable XML ({exc})") from exc


class _GuardedTreeBuilder:
    """What expat feeds while parsing: a tree builder that refuses a document type
    declaration as soon as expat meets one (after decoding, so in any encoding) and
    stops once the text grows past its cap."""

    def __init__(self, what: str, max_text: int) -> None:
        import xml.etree.ElementTree as ElementTree

        self._tree = ElementTree.TreeBuilder()
        self._what = what
        self._left = max_text
        self._max_text = max_text

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        if name.lower() == "html":
            raise ParseError(f"not {self._what}: the server returned HTML")
        raise ParseError(f"not {self._what}: documents with a DTD are not accepted")

    def _spend(self, characters: int) -> None:
        self._left -= characters
        if self._left < 0:
            raise ParseError(f"not {self._what}: more than {self._max_text:,} characters of text")

    def start(self, tag: str, attrs: dict[str, str]) -> Any:
        self._spend(sum(map(len, attrs.values())))
        return self._tree.start(tag, attrs)

    def end(self, tag: str) -> Any:
        return self._tree.end(tag)

    def data(self, text: str) -> None:
        self._spend(len(text))
        self._tree.data(text)

    def close(self) -> Any:
        return self._tree.close()


def decode_text(body: bytes, what: str) -> str:
    """Text by its byte-order mark (AWS sends UTF-16), else UTF-8."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return body.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError(f"not {what}: invalid UTF-16") from None
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(f"not {what}: the response is not valid UTF-8") from None


def as_int(value: object) -> int | None:
    """Integers that pages send as numbers or as strings ("3"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def as_str(value: object, default: str = "") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return default


_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*["'])[^"']*(["'])""")


def as_utf8(body: bytes, content_type: str | None) -> bytes:
    """The body in UTF-8 when its Content-Type names another charset (AWS sends
    UTF-16, with or without a byte-order mark). A byte-order mark wins over the header;
    a charset that is unknown or does not fit the bytes leaves the body for the parser
    to explain. An XML declaration naming another encoding is corrected to match."""
    match = _CHARSET.search(content_type or "")
    if match is None or body.startswith(_BOMS):
        return body
    try:
        codec = codecs.lookup(match.group(1)).name
    except LookupError:
        return body
    if codec in ("utf-8", "ascii"):
        return body
    if codec == "utf-16":  # no byte-order mark: JSON and XML start with an ASCII character
        codec = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return body
    return _XML_ENCODING.sub(rb"\1utf-8\2", text.encode("utf-8"), count=1)
