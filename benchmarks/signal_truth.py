"""How true the icon and the notifications are on real recorded histories: writes SIGNAL.md.
(Not named signal.py: a script's folder comes first on sys.path, and that name hid the
standard library's signal module from the other benchmarks.)

    .venv/bin/python benchmarks/signal_truth.py [--histories DIR] [--output SIGNAL.md]

Each history (a `.tar.xz` of Statuspage summaries named by their UTC capture time, or
an unpacked folder) is unpacked into a temporary folder and replayed poll by poll
(every 120 s) through the app's own parse -> narrow -> policy path
(`traywatch.replay.measure`), once per watch set: the catalog's default, the whole
page, and a few sets a developer might pick. The rule the app used before (the worst
of every signal on the page) is measured on the same polls for comparison."""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from traywatch.catalog import find  # noqa: E402
from traywatch.core.model import Severity, Snapshot, worst  # noqa: E402
from traywatch.providers.statuspage import INDICATOR  # noqa: E402
from traywatch.replay import Measurement, measure, polls  # noqa: E402

INTERVAL = 120.0


@dataclass(frozen=True)
class WatchSet:
    label: str
    components: tuple[str, ...]


@dataclass(frozen=True)
class History:
    archive: str  # file name in the histories folder, without .tar.xz
    service: str
    catalog_id: str
    extra: tuple[WatchSet, ...]


HISTORIES = (
    History(
        "cloudflare-2025-03",
        "Cloudflare",
        "cloudflare",
        (
            WatchSet("whole page (no filter)", ()),
            WatchSet(
                "a developer's picks",
                (
                    "CDN/Cache",
                    "Authoritative DNS",
                    "SSL Certificate Provisioning",
                    "Workers",
                    "Pages",
                    "R2",
                    "API",
                    "Dashboard",
                ),
            ),
            WatchSet("services and Europe", ("Cloudflare Sites and Services", "Europe")),
            WatchSet("one region: North America", ("North America",)),
        ),
    ),
    History(
        "github-2024",
        "GitHub",
        "github",
        (
            WatchSet("whole page (no filter)", ()),
            WatchSet("Actions", ("Actions",)),
            WatchSet(
                "Git, API, pull requests", ("Git Operations", "API Requests", "Pull Requests")
            ),
        ),
    ),
)


def previous_rule(full: Snapshot, indicator: Severity | None, watched: tuple[str, ...]) -> Severity:
    """What the icon said before: the worst of every signal; with a filter, the watched
    components, the incidents touching them (or naming none) and any maintenance."""
    if watched:
        wanted = {w.casefold() for w in watched}
        components = [
            c
            for c in full.components
            if c.name.casefold() in wanted or (c.group or "").casefold() in wanted
        ]
        names = {c.name for c in components}
        incidents = [i for i in full.incidents if not i.components or set(i.components) & names]
        signals = [c.severity for c in components]
    else:
        incidents = list(full.incidents)
        signals = [c.severity for c in full.components]
        if indicator is not None:
            signals.append(indicator)
    signals += [i.severity for i in incidents if not i.resolved]
    if any(m.active for m in full.maintenances):
        signals.append(Severity.MAINTENANCE)
    return worst(signals)


def previous_false_alarms(folder: Path, watched: tuple[str, ...]) -> tuple[float, float]:
    """(false-alarm share, not-green share) of the previous rule, on the same polls."""
    alarms = not_green = total = 0
    indicators: dict[datetime, Severity | None] = {}
    for recording in sorted(folder.iterdir()):
        status = json.loads(recording.read_bytes()).get("status") or {}
        at = datetime.strptime(recording.name[:20], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        indicators[at] = INDICATOR.get(status.get("indicator", ""))
    times = sorted(indicators)
    index = -1
    for now, full in polls(folder, kind="statuspage", interval=INTERVAL):
        while index + 1 < len(times) and times[index + 1] <= now:
            index += 1
        narrowed = [
            i
            for i in full.active_incidents
            if not watched or not i.components or set(i.components) & _names(full, watched)
        ]
        severity = previous_rule(full, indicators[times[index]], watched)
        total += 1
        if not narrowed:
            alarms += severity >= Severity.DEGRADED
            not_green += severity > Severity.OPERATIONAL
    return alarms / total, not_green / total


def _names(full: Snapshot, watched: tuple[str, ...]) -> set[str]:
    wanted = {w.casefold() for w in watched}
    return {
        c.name
        for c in full.components
        if c.name.casefold() in wanted or (c.group or "").casefold() in wanted
    }


def unpack(source: Path, into: Path) -> Path:
    if source.is_dir():
        return source
    with tarfile.open(source) as archive:
        archive.extractall(into, filter="data")
    return into / source.name.removesuffix(".tar.xz")


def percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def row(label: str, watched: tuple[str, ...], m: Measurement, before: tuple[float, float]) -> str:
    watched_text = ", ".join(watched) if watched else "—"
    if len(watched_text) > 60:
        watched_text = f"{len(watched)} components"
    return (
        f"| {label} | {watched_text} | {percent(before[0])} → **{percent(m.false_alarm_share)}** "
        f"| {percent(before[1])} → {percent(m.not_green_share)} "
        f"| {len(m.alarming)} | **{len(m.missed)} ({percent(m.missed_share)})** "
        f"| {len(m.notifications)} / {len(m.incidents)} = **{m.per_incident:.2f}** "
        f"| {len(m.unannounced)} | {len(m.resolution_unseen)} | {m.duplicates} |"
    )


HEADER = """# Signal: how true the icon and the notifications are

Regenerate with one command (a few minutes): `.venv/bin/python benchmarks/signal_truth.py`
(reads `../shared/histories/*.tar.xz`, unpacks them into a temporary folder, writes this file).

## Method

Each recorded history is a folder of real Statuspage `summary.json` responses named by
their capture time (a new file only when the page changed). It is replayed as the app
would have polled it — every {interval:g} s, each response held until the next one —
through the app's own code: the provider's `parse`, `core.focus.narrow` with the watch
set, and the notification policy with default settings (`traywatch.replay.measure`).

- **Icon**: the service's severity after narrowing (what the tray icon shows for it).
- **Concerning incident**: an unresolved incident on the page that names a watched
  component or names none (the whole page).
- **False alarm**: a poll where the icon is degraded or worse and no concerning incident
  is open. Share = such polls / all polls. *Not green* also counts maintenance shown
  without a concerning incident (maintenance on a watched component is the truth, not an
  alarm, but it is listed so that nothing hides there).
- **Missed incident**: a concerning incident with an impact (minor or worse) during whose
  whole life the icon never showed degraded or worse. Share = missed / such incidents.
- **Notifications per incident**: every notification the policy sent (the first-start
  summary included) / concerning incidents seen. *Unannounced*: concerning incidents no
  notification told of (new incident, escalation, or the first-start summary, also when
  coalesced into a storm summary). *Resolution unseen*: incidents that ended within the
  history without an "incident resolved". *Duplicates*: the same event told of the same
  incident or maintenance more than once.
- **Before**: the rule the app used until this change — the worst of the page's
  indicator, every component, every open incident and any maintenance in progress
  anywhere on the page — judged on the same polls.

Targets (issue 11): false alarms ≤ 5 %, missed ≤ 5 %, ≤ 2.5 notifications per incident,
no incident on a watched component unannounced or its resolution unseen, 0 duplicates.

## Results
"""

TABLE_HEAD = (
    "| watch set | components | false alarm (before → now) | not green (before → now) "
    "| incidents with impact | missed | notifications / incidents | unannounced "
    "| resolution unseen | duplicates |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)

NOTES = """
## Reading

- The catalog's default for Cloudflare watches its services group ("Cloudflare Sites and
  Services"), found by `tools/build_catalog.py`, which recognises groups whose children
  are places (airport codes, cloud regions, parts of the world) in recorded summaries.
- On a page with such groups the page's own indicator is not counted (it speaks for the
  data centres too: Cloudflare's was `minor` in every snapshot of the month), and a data
  centre counts as a share of its region: the region is in trouble when at least half of
  its data centres are; fewer are reported in the state's explanation ("Operational
  (3 of 330 data centres affected)") instead of turning the icon orange. A data centre
  named by an open incident counts in full; one watched on its own counts in full.
- In March 2025 Cloudflare had an incident on its Billing component open for the whole
  month, so every watch set containing Billing has a concerning incident open at every
  poll: the false-alarm share is 0 there by definition. The sets without Billing ("a
  developer's picks", "one region") are the ones that test the rule.
- Maintenance of a data centre is told only when enough of its region is in maintenance
  to count for the state (the same rule), so watching the whole page costs no
  notification per data-centre maintenance; maintenances starting together are told in one
  notification naming where and until when.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--histories", type=Path, default=ROOT.parent / "shared" / "histories")
    parser.add_argument("--output", type=Path, default=ROOT / "SIGNAL.md")
    args = parser.parse_args()
    sections = [HEADER.format(interval=INTERVAL)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for history in HISTORIES:
            source = args.histories / f"{history.archive}.tar.xz"
            if not source.exists():
                source = args.histories / history.archive
            folder = unpack(source, Path(tmp))
            entry = find(history.catalog_id)
            default = entry.components if entry is not None else ()
            watch_sets = (WatchSet("catalog default", default), *history.extra)
            count = sum(1 for _ in folder.iterdir())
            first, last = sorted(p.name[:10] for p in folder.iterdir())[:: count - 1]
            sections.append(
                f"\n### {history.service}: `{history.archive}` "
                f"({count:,} snapshots, {first} to {last})\n\n{TABLE_HEAD}"
            )
            for watch in watch_sets:
                result = measure(
                    folder,
                    kind="statuspage",
                    name=history.service,
                    watched=watch.components,
                    interval=INTERVAL,
                )
                before = previous_false_alarms(folder, watch.components)
                sections.append(row(watch.label, watch.components, result, before))
                print(sections[-1], flush=True)
    sections.append(NOTES)
    sections.append(
        f"\nMeasured {datetime.now(UTC):%Y-%m-%d} in {time.perf_counter() - started:.0f} s "
        f"(polls every {INTERVAL:g} s).\n"
    )
    args.output.write_text("\n".join(sections), encoding="utf-8")
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
