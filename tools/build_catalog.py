"""Builds resources/catalog.json from the project's research data (not run by the app or CI).

    python tools/build_catalog.py ../shared/research [SUMMARIES_DIR ...]

Sources, both recorded in every entry: the curated table of catalog.md (76 developer
platforms, each checked against public sources, with categories added here) and the
vendor-status-watch snapshot of 2026-09-07 (805 vendors polled by a bot; entries whose
poll failed - HTTP 401, "moved" - are left out, as are formats traywatch cannot read).

Default watched components: curated for a few platforms (COMPONENTS below); for the
others, from recorded Statuspage summaries (default: the recorded payloads under
tests/providers/fixtures): a page whose component groups are places (data centres by
region, cloud regions - see traywatch.core.locations) gets its other groups and
components as its default, so that adding it watches the services, not the places."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "catalog.json"
RECORDED = (
    ROOT / "tests/providers/fixtures/statuspage",
    ROOT / "tests/providers/fixtures/incidentio",
)

CATEGORIES = {
    "GitHub": "Developer tools",
    "GitLab": "Developer tools",
    "Bitbucket": "Developer tools",
    "Atlassian (overall)": "Productivity",
    "Jira Software": "Developer tools",
    "Jira Service Management": "Developer tools",
    "Confluence": "Productivity",
    "Trello": "Productivity",
    "Notion": "Productivity",
    "Linear": "Developer tools",
    "Figma": "Design",
    "Box": "Storage",
    "Dropbox": "Storage",
    "Zoom": "Communication",
    "Slack": "Communication",
    "Discord": "Communication",
    "Twilio": "Communication",
    "SendGrid (Twilio)": "Email",
    "Mailgun": "Email",
    "Postmark": "Email",
    "OpenAI": "AI",
    "Anthropic / Claude": "AI",
    "Hugging Face": "AI",
    "Cursor": "AI",
    "Cloudflare": "CDN & network",
    "Akamai": "CDN & network",
    "Fastly": "CDN & network",
    "Cloudinary": "Media",
    "DigitalOcean": "Cloud",
    "Linode (Akamai Cloud)": "Cloud",
    "AWS": "Cloud",
    "Google Cloud": "Cloud",
    "Microsoft Azure": "Cloud",
    "Heroku": "Cloud",
    "Vercel": "Hosting",
    "Netlify": "Hosting",
    "Fly.io": "Hosting",
    "Render": "Hosting",
    "Railway": "Hosting",
    "Supabase": "Databases",
    "MongoDB Atlas": "Databases",
    "Snowflake": "Databases",
    "Elastic Cloud": "Databases",
    "Databricks": "Data",
    "Datadog (US1)": "Observability",
    "New Relic": "Observability",
    "Sentry": "Observability",
    "PagerDuty": "Observability",
    "Papertrail (SolarWinds)": "Observability",
    "Loggly (SolarWinds)": "Observability",
    "npm": "Package registries",
    "PyPI / Python infra": "Package registries",
    "RubyGems": "Package registries",
    "Docker Hub": "Package registries",
    "CircleCI": "CI/CD",
    "Travis CI": "CI/CD",
    "Snyk": "Security",
    "Let's Encrypt": "Security",
    "Okta": "Identity",
    "Auth0": "Identity",
    "HashiCorp": "Developer tools",
    "Postman": "Developer tools",
    "JetBrains": "Developer tools",
    "Stripe": "Payments",
    "Shopify": "Commerce",
    "Salesforce": "Business apps",
    "Zendesk": "Business apps",
    "Intercom": "Business apps",
    "Zapier": "Automation",
    "Algolia": "Search",
    "Reddit": "Social",
    "Twitch": "Media",
    "Google Workspace": "Productivity",
    "Firebase": "Cloud",
    "ClickUp": "Productivity",
    "Plausible Analytics": "Analytics",
}
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


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def first_url(cell: str) -> str | None:
    match = re.search(r"https://[^\s)]+", cell)
    return match.group(0).rstrip("/.,") if match else None


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


def curated(research: Path) -> list[dict[str, object]]:
    entries = []
    for line in (research / "catalog.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 8 or not cells[0].isdigit():
            continue
        number, name, page, fmt, poll, _page_id, evidence, confidence = cells[:8]
        if confidence.startswith("Low"):
            continue
        mapped = curated_kind(fmt, poll)
        url = first_url(page)
        if mapped is None or url is None:
            continue
        kind, override = mapped
        entries.append(
            {
                "id": slug(name),
                "name": name,
                "category": CATEGORIES.get(name, "Uncategorized"),
                "url": override or url,
                "kind": kind,
                "components": COMPONENTS.get(name.split(" (")[0], []),
                "source": f"shared/research/catalog.md #{number} ({evidence}; {confidence})",
            }
        )
    return entries


def from_snapshot(
    research: Path, known_hosts: set[str], known: set[str]
) -> list[dict[str, object]]:
    """Vendors not curated already; `known` holds the ids and URLs taken so far."""
    snapshot = json.loads((research / "vendor-status-snapshot-2026-09-07.json").read_text())
    entries = []
    for vendor in snapshot["vendors"]:
        if vendor["error"]:
            continue
        platform, page_id, url = vendor["platform"], vendor["page_id"] or "", vendor["status_url"]
        if platform == "statuspage":
            kind = "incidentio" if len(page_id) == 26 and page_id.startswith("01") else "statuspage"
        elif platform == "incident.io":
            kind = "incidentio"
        elif platform == "status.io" and len(page_id) == 24:
            kind, url = "statusio", f"https://api.status.io/1.0/status/{page_id}"
        elif platform in ("instatus", "betterstack"):
            kind = platform
        else:
            continue  # bespoke pages are curated above; sorry has no parser
        host = (urlsplit(vendor["status_url"]).hostname or "").removeprefix("www.")
        url = url.rstrip("/")
        if host in known_hosts or {vendor["slug"], url} & known or not url.startswith("https://"):
            continue
        known_hosts.add(host)
        known.update((vendor["slug"], url))
        entries.append(
            {
                "id": vendor["slug"],
                "name": vendor["vendor"],
                "category": "Uncategorized",
                "url": url,
                "kind": kind,
                "components": [],
                "source": "vendor-status-watch snapshot 2026-09-07 (shared/research)",
            }
        )
    return entries


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
        host = (urlsplit(str(page.get("url", ""))).hostname or "").removeprefix("www.")
        found[host] = (services, path.relative_to(ROOT).as_posix())
    return found


def with_default_components(
    entries: list[dict[str, object]], found: dict[str, tuple[list[str], str]]
) -> None:
    for entry in entries:
        host = (urlsplit(str(entry["url"])).hostname or "").removeprefix("www.")
        if entry["components"] or host not in found:
            continue
        services, where = found[host]
        entry["components"] = services
        entry["source"] = f"{entry['source']}; default components: places found in {where}"


def main() -> None:
    research = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/research")
    recorded = [Path(a) for a in sys.argv[2:]] or list(RECORDED)
    entries = curated(research)
    hosts = {(urlsplit(str(e["url"])).hostname or "").removeprefix("www.") for e in entries}
    taken = {str(e["id"]) for e in entries} | {str(e["url"]) for e in entries}
    entries += from_snapshot(research, hosts, taken)
    with_default_components(entries, services_of_place_shaped_pages(recorded))
    ids = {str(e["id"]) for e in entries}
    for entry in entries:
        entry["aliases"] = [a for a in ALIASES.get(str(entry["id"]), []) if a not in ids]
    missing = STORY - ids
    if missing:
        raise SystemExit(f"the Heroku story needs {sorted(missing)}")
    entries.sort(key=lambda e: str(e["name"]).casefold())
    OUT.write_text(
        json.dumps(
            {
                "generated_from": [
                    "shared/research/catalog.md",
                    "shared/research/vendor-status-snapshot-2026-09-07.json",
                ],
                "entries": entries,
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
