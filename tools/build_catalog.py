"""Builds resources/catalog.json from recorded sources (not run by the app or CI).

    python tools/build_catalog.py [SOURCES_DIR [SUMMARIES_DIR ...]]

Every entry comes from a recorded source, kept in tools/catalog_sources/ (provenance in
its README.md), and names each source that lists it (`evidence`, most decisive first):

- catalog.md: the project's curated table of 76 developer platforms, each checked
  against public sources (rows of low confidence are left out);
- the vendor-status-watch snapshot of 2026-09-07: 805 vendors polled by a bot, with
  the platform it read and the page id it got (polls that failed are left out, and so
  are status.io pages it could not read);
- Appendix A of catalog.md: the service definitions of inket/stts (2026-03), a
  maintained status menubar app (formats traywatch cannot read are left out);
- khalidsaidi/aistatusdashboard's sources.json (AI providers' status pages).

Nothing is guessed: the kind comes from the source (a Statuspage page id that is a
ULID means incident.io), the address from the source. An entry listed by several
sources is one entry; how many list it, weighted (the curated table counts most),
is its `popularity`, which ranks search results after the name match. Categories
are assigned by hand in categories.tsv (the build fails on an entry without one).

Default watched components: curated for a few platforms (COMPONENTS below); for the
others, from recorded Statuspage summaries (default: the recorded payloads under
tests/providers/fixtures): a page whose component groups are places (data centres by
region, cloud regions - see traywatch.core.locations) gets its other groups and
components as its default, so that adding it watches the services, not the places."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "catalog_sources"
OUT = ROOT / "resources" / "catalog.json"
RECORDED = (
    ROOT / "tests/providers/fixtures/statuspage",
    ROOT / "tests/providers/fixtures/incidentio",
)
SNAPSHOT = "vendor-status-snapshot-2026-09-07.json"
AISD = "aistatusdashboard-sources.json"

# How much each source's listing says about how widely a platform is used.
WEIGHT = {"catalog.md": 3, "stts": 2, "aisd": 1, "vsw": 1}

COMPONENTS = {
    "GitHub": [
        "Git Operations",
        "API Requests",
        "Webhooks",
        "Issues",
        "Pull Requests",
        "Actions",
        "Packages",
        "Pages",
        "Codespaces",
        "Copilot",
    ],
    "Heroku": ["Apps", "Data", "Tools"],
    "OpenAI": ["Chat Completions", "Responses", "Embeddings", "Files", "Login"],
    "Slack": ["Login/SSO", "Messaging", "Notifications", "Connections", "Files"],
}
# Old ids that must keep working after a rename.
ALIASES = {
    "anthropic-claude": ["anthropic", "claude"],
    "docker-hub": ["docker"],
    "fly-io": ["flyio"],
    "pypi-python-infra": ["pypi"],
    "papertrail-solarwinds": ["papertrail"],
    "loggly-solarwinds": ["loggly"],
    "microsoft-azure": ["azure"],
    "datadog-us1": ["datadog"],
    "linode-akamai-cloud": ["linode"],
}
# Ids of the Heroku-incident story: these must be right.
STORY = {"heroku", "github", "openai", "cloudflare", "papertrail-solarwinds", "loggly-solarwinds"}

Entry = dict[str, object]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def first_url(cell: str) -> str | None:
    match = re.search(r"https://[^\s)]+", cell)
    return match.group(0).rstrip("/.,") if match else None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def statusio_api(page_id: str) -> str:
    return f"https://api.status.io/1.0/status/{page_id}"


def entry(
    name: str,
    url: str,
    kind: str,
    evidence: list[str],
    source: str,
    page_id: str = "",
    page: str = "",
) -> Entry:
    """`url` is what traywatch polls; `page` the page people know, when it is another
    address (a status.io page's own host, not api.status.io)."""
    return {
        "page": page.rstrip("/") if page and page.rstrip("/") != url.rstrip("/") else "",
        "page_id": page_id
        if re.fullmatch(r"[0-9a-zA-Z]{12}|[0-9A-Z]{26}|[0-9a-f]{24}", page_id)
        else "",
        "id": slug(name),
        "name": name,
        "url": url.rstrip("/"),
        "kind": kind,
        "components": COMPONENTS.get(name.split(" (")[0], []),
        "source": source,
        "evidence": [evidence],
    }


# -- the sources ---------------------------------------------------------------------------


def curated_kind(fmt: str, poll: str) -> tuple[str, str | None] | None:
    """(kind, url override) for a catalog.md format, or None when traywatch can't read it."""
    low = fmt.lower()
    if low.startswith("statuspage"):
        return "statuspage", None
    if low.startswith("incident.io"):
        return "incidentio", None
    if low.startswith("status.io"):
        return "statusio", first_url(poll)
    if low.startswith("instatus"):
        return "instatus", None
    if low.startswith("better stack"):
        return "betterstack", None
    if low.startswith("slack"):
        return "slack", None
    if low.startswith("heroku"):
        return "heroku", None
    if low.startswith("aws health"):
        return "aws", None
    if low.startswith("google dashboard json"):
        return "google-cloud", first_url(poll)
    if low.startswith("rss 2.0"):
        return "azure", None
    return None


def catalog_rows(sources: Path) -> Iterator[list[str]]:
    for line in (sources / "catalog.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0].isdigit():
            yield cells


def curated(sources: Path) -> tuple[list[Entry], set[str]]:
    """The curated table's entries, and the names it found too uncertain to list."""
    entries, doubtful = [], set()
    for number, name, page, fmt, poll, page_id, evidence, confidence in catalog_rows(sources):
        if confidence.startswith("Low"):
            doubtful.add(slug(name.split(" (")[0]))
            continue
        mapped = curated_kind(fmt, poll)
        url = first_url(page)
        if mapped is None or url is None:
            continue
        kind, override = mapped
        entries.append(
            entry(
                name,
                override or url,
                kind,
                ["catalog.md", number],
                f"shared/research/catalog.md #{number} ({evidence}; {confidence})",
                page_id,
                url,
            )
        )
    return entries, doubtful


def vsw_kind(vendor: dict[str, object]) -> str | None:
    platform, page_id = vendor["platform"], str(vendor["page_id"] or "")
    if platform == "statuspage":
        return "incidentio" if len(page_id) == 26 and page_id.startswith("01") else "statuspage"
    return {
        "incident.io": "incidentio",
        "status.io": "statusio",
        "instatus": "instatus",
        "betterstack": "betterstack",
    }.get(str(platform))


def from_snapshot(sources: Path) -> tuple[list[Entry], set[str]]:
    """The polled vendors, and the pages (hosts, names) whose poll failed: gone or
    private in 2026-09, whatever an older source says."""
    snapshot = json.loads((sources / SNAPSHOT).read_text(encoding="utf-8"))
    entries, failed = [], set()
    for vendor in snapshot["vendors"]:
        kind = vsw_kind(vendor)
        unread = kind == "statusio" and (vendor["state"] == "unknown" or not vendor["page_id"])
        if vendor["error"] or unread:  # unread: a freshstatus page the bot took for status.io
            failed.update((host_of(str(vendor["status_url"])), slug(str(vendor["vendor"]))))
            continue
        if kind is None:
            continue  # a format traywatch has no parser for
        url = str(vendor["status_url"])
        if kind == "statusio":
            url = statusio_api(str(vendor["page_id"]))
        found = entry(
            str(vendor["vendor"]),
            url,
            kind,
            ["vsw", str(vendor["slug"])],
            "vendor-status-watch snapshot 2026-09-07 (shared/research)",
            str(vendor["page_id"] or ""),
            str(vendor["status_url"]),
        )
        found["id"] = vendor["slug"]
        entries.append(found)
    return entries, failed


STTS_KINDS = {
    "statuspage": "statuspage",
    "incidentio": "incidentio",
    "statusiov1": "statusio",
    "instatus": "instatus",
    "betterstack": "betterstack",
    "betteruptime": "betterstack",
}


def stts_rows(sources: Path) -> Iterator[list[str]]:
    text = (sources / "catalog.md").read_text(encoding="utf-8")
    appendix = text.split("## Appendix A", 1)[1].split("```", 2)[1]
    for line in appendix.strip().splitlines():
        yield [cell.strip() for cell in line.split(" | ")]


def from_stts(sources: Path) -> list[Entry]:
    entries = []
    for row in stts_rows(sources):
        provider, name, page = row[:3]
        kind = STTS_KINDS.get(provider)
        if kind is None:
            continue
        url = statusio_api(row[3]) if kind == "statusio" else page
        entries.append(
            entry(
                name,
                url,
                kind,
                ["stts", name],
                "inket/stts services.json @ eaf2f03 (2026-03), in shared/research/catalog.md",
                row[3].split()[0] if len(row) > 3 else "",
                page,
            )
        )
    return entries


AISD_KINDS = {
    "statuspage": "statuspage",
    "instatus": "instatus",
    "betterstack": "betterstack",
    "google-cloud": "google-cloud",
}


def from_aisd(sources: Path) -> list[Entry]:
    data = json.loads((sources / AISD).read_text(encoding="utf-8"))
    entries = []
    for source in data["sources"]:
        kind = AISD_KINDS.get(source["platform"])
        if kind is None:
            continue  # RSS filters, Meta's own format, status.io without a page id
        name = re.sub(r" (Statuspage|Instatus|Better Stack)$", "", source["name"])
        entries.append(
            entry(
                name,
                source["baseUrl"],
                kind,
                ["aisd", source["id"]],
                "khalidsaidi/aistatusdashboard lib/data/sources.json @ 33e012a",
            )
        )
    return entries


# -- one entry per platform ----------------------------------------------------------------


# Platforms that moved: an older source's entry is the same platform as this id's.
MOVED = {
    ("stts", "Docker"): "docker-hub",  # left status.io for incident.io (catalog.md #36)
    ("stts", "Discord"): "discord",  # status.discordapp.com -> discordstatus.com (#12)
    ("stts", "Twitch"): "twitch",  # status.twitch.tv -> status.twitch.com (#52)
    ("stts", "Railway"): "railway",  # status.railway.app -> railway.instatus.com (#24)
    # Another address of the same vendor's page:
    ("aisd", "cohere-statuspage"): "cohere",  # status.cohere.com / status.cohere.ai
    ("aisd", "replicate-statuspage"): "replicate",  # status.replicate.com / replicatestatus.com
    ("aisd", "google-cloud"): "google-cloud",  # the page / its incidents.json
}


def domain_of(url: str) -> str:
    """ "status.example.co.uk" -> "example.co.uk"; "www.githubstatus.com" -> "githubstatus.com"."""
    labels = host_of(url).split(".")
    keep = 3 if len(labels) > 2 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def page_of(found: Entry) -> str:
    parts = urlsplit(str(found["url"]))
    return host_of(str(found["url"])) + parts.path.rstrip("/")


def merged(groups: list[list[Entry]], doubtful: set[str]) -> list[Entry]:
    """The first source to list a platform gives its entry; the later ones add their
    evidence. A platform is the same page (address, or page id on the hosting service),
    or the same name on the same domain (a page that moved within it), or a known move.
    `doubtful` pages and names are left to the sources that polled them."""
    entries: list[Entry] = []
    by_page: dict[str, Entry] = {}
    by_name: dict[str, list[Entry]] = {}
    for group in groups:
        for found in group:
            keys = [f"page:{page_of(found)}"] + (
                [f"id:{found['page_id']}"] if found["page_id"] else []
            )
            moved = MOVED.get(tuple(found["evidence"][0]))  # type: ignore[arg-type,index]
            namesakes = by_name.get(str(moved or found["id"]), [])
            first = next((by_page[k] for k in keys if k in by_page), None) or next(
                (
                    e
                    for e in namesakes
                    if moved or domain_of(str(e["url"])) == domain_of(str(found["url"]))
                ),
                None,
            )
            if first is None:
                polled = found["evidence"][0][0] in ("catalog.md", "vsw")  # type: ignore[index]
                if not polled and {str(found["id"]), host_of(str(found["url"]))} & doubtful:
                    continue  # conflicting evidence, or the page failed when polled
                if namesakes:  # another platform of the same name: tell them apart
                    found["id"] = (
                        f"{found['id']}-{slug(domain_of(str(found['url'])).split('.')[0])}"
                    )
                entries.append(found)
                by_name.setdefault(str(found["id"]), []).append(found)
                first = found
            else:
                first["evidence"].append(found["evidence"][0])  # type: ignore[attr-defined,index]
            for key in keys:
                by_page.setdefault(key, first)
    for found in entries:
        sources = {e[0] for e in found["evidence"]}  # type: ignore[attr-defined]
        found["popularity"] = sum(WEIGHT[s] for s in sources)
    return entries


def with_categories(entries: list[Entry], sources: Path) -> None:
    table = {}
    for line in (sources / "categories.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            ident, category = line.split("\t")
            table[ident] = category
    missing = [f"{e['id']}\t{e['name']}\t{e['url']}" for e in entries if e["id"] not in table]
    if missing:
        raise SystemExit("no category for:\n" + "\n".join(missing))
    for found in entries:
        found["category"] = table[str(found["id"])]


def services_of_place_shaped_pages(folders: list[Path]) -> dict[str, tuple[list[str], str]]:
    """host -> (the page's groups and components that are not places, the file it was
    found in), for every recorded summary whose page lists places."""
    sys.path.insert(0, str(ROOT / "src"))
    from datetime import UTC, datetime

    from traywatch.core.locations import find_places
    from traywatch.providers.statuspage import parse_summary

    found: dict[str, tuple[list[str], str]] = {}
    for path in sorted(p for folder in folders for p in folder.glob("*.json")):
        data = json.loads(path.read_bytes())
        page = data.get("page") if isinstance(data, dict) else None
        if not isinstance(page, dict) or not isinstance(data.get("components"), list):
            continue
        snapshot = parse_summary(data, fetched_at=datetime.now(UTC), page_url="")
        places = find_places(snapshot.components)
        if not places:
            continue
        services = list(
            dict.fromkeys(c.group or c.name for c in snapshot.components if not places.holds(c))
        )
        found[host_of(str(page.get("url", "")))] = (services, path.relative_to(ROOT).as_posix())
    return found


def with_default_components(entries: list[Entry], found: dict[str, tuple[list[str], str]]) -> None:
    for entry_ in entries:
        host = host_of(str(entry_["url"]))
        if entry_["components"] or host not in found:
            continue
        services, where = found[host]
        entry_["components"] = services
        entry_["source"] = f"{entry_['source']}; default components: places found in {where}"


def build(sources: Path, recorded: list[Path]) -> list[Entry]:
    chosen, doubtful = curated(sources)
    polled, failed = from_snapshot(sources)
    entries = merged([chosen, polled, from_stts(sources), from_aisd(sources)], doubtful | failed)
    with_categories(entries, sources)
    with_default_components(entries, services_of_place_shaped_pages(recorded))
    ids = {str(e["id"]) for e in entries}
    if len(ids) != len(entries):
        raise SystemExit("two entries share an id")
    for found in entries:
        found["aliases"] = [a for a in ALIASES.get(str(found["id"]), []) if a not in ids]
    missing = STORY - ids
    if missing:
        raise SystemExit(f"the Heroku story needs {sorted(missing)}")
    entries.sort(key=lambda e: str(e["name"]).casefold())
    return entries


FIELDS = (
    "id",
    "name",
    "category",
    "url",
    "page",
    "kind",
    "components",
    "popularity",
    "source",
    "evidence",
    "aliases",
)


def main() -> None:
    sources = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES
    recorded = [Path(a) for a in sys.argv[2:]] or list(RECORDED)
    entries = build(sources, recorded)
    OUT.write_text(
        json.dumps(
            {
                "generated_from": [
                    "tools/catalog_sources/catalog.md (shared/research/catalog.md)",
                    f"tools/catalog_sources/{SNAPSHOT}",
                    f"tools/catalog_sources/{AISD}",
                    "tools/catalog_sources/categories.tsv",
                ],
                "entries": [{k: e[k] for k in FIELDS if e[k] != ""} for e in entries],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(entries)} entries -> {OUT}")


if __name__ == "__main__":
    main()
