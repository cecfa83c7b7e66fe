"""The Debian changelog (native package), written from the releases in the AppStream
metainfo, so that the version history is kept in one place.

Usage: python packaging/debian/changelog.py > changelog  (gzip it for the .deb)"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from textwrap import wrap

TOP = Path(__file__).resolve().parents[2]
MAINTAINER = "The traywatch developers <traywatch@users.noreply.github.com>"


def releases() -> list[tuple[str, datetime, list[str]]]:
    """(version, date, paragraphs), newest first, from the metainfo."""
    metainfo = next((TOP / "resources").glob("*.metainfo.xml"))
    found = []
    for release in ET.parse(metainfo).getroot().iterfind("releases/release"):
        date = datetime.fromisoformat(release.attrib["date"]).replace(tzinfo=UTC)
        paragraphs = [
            " ".join("".join(p.itertext()).split()) for p in release.iterfind("description/*")
        ]
        found.append((release.attrib["version"], date, paragraphs))
    return found


def main() -> None:
    for version, date, paragraphs in releases():
        print(f"traywatch ({version}) unstable; urgency=medium\n")
        for paragraph in paragraphs or [f"Release {version}."]:
            lines = wrap(paragraph, 76)
            print("  * " + "\n    ".join(lines))
        print(f"\n -- {MAINTAINER}  {format_datetime(date)}\n")


if __name__ == "__main__":
    main()
