"""Screenshots of traywatch's screens, as a user sees them on a small screen.

    scripts/screenshots [SCREEN ...]        (runs this on the test desktop, both sizes)
    python tools/screenshots.py --list

One function per screen, registered with @screen: it builds the screen with real
data — recorded payloads served on 127.0.0.1, never the internet — and returns its
top-level window, shown. The runner centres it on the desktop's screen, grabs the
whole screen (so that a window too big for it shows as such) for a light and a dark
desktop palette, and writes artifacts/screenshots/<screen>-<size>-<palette>.png.
A window larger than the screen is reported and makes the run fail.

To add a screen (the main window, the tray menu, a notification…), write a function
`def name(ctx: Context) -> QWidget` and decorate it with @screen("name")."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support: the loopback server

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip, QWidget  # noqa: E402
from tests.gui.window_support import palette_for  # noqa: E402
from tests.support.server import StatusServer  # noqa: E402

from traywatch.config import load_config  # noqa: E402
from traywatch.core.model import Component  # noqa: E402

OUT = ROOT / "artifacts" / "screenshots"
FIXTURES = ROOT / "tests" / "providers" / "fixtures"
CLOUDFLARE = "statuspage/cloudflarestatus-summary-minor-groups-maintenance.json"
GITHUB = "statuspage/githubstatus-summary-minor-degraded-performance.json"
HEROKU = "heroku/apps-red-incident.json"

CONFIG = """
[[services]]
name = "GitHub"
kind = "statuspage"
url = "https://www.githubstatus.com"

[[services]]
name = "Heroku"
kind = "heroku"
url = "https://status.heroku.com"
components = ["Apps", "Data"]

[[services]]
name = "Cloudflare"
kind = "statuspage"
url = "https://www.cloudflarestatus.com"
components = ["Cloudflare Sites and Services"]

[[services]]
name = "Shop API"
kind = "http"
url = "https://shop.example.com/health"
body_contains = "ok"
degraded_after = 1.0
auth = "bearer"
secret = "shop-api-token"
depends_on = ["Heroku: Apps"]

[[services]]
name = "Billing API"
kind = "http"
url = "https://billing.example.com/health"
degraded_after = 1.0
depends_on = ["Heroku: Data"]
"""  # the watchlist of the window's screens (tests/gui/scenes.py), as far as settings go


@dataclass
class Context:
    app: QApplication
    loop: asyncio.AbstractEventLoop
    server: StatusServer
    tmp: Path
    windows: list[QWidget] = field(default_factory=list)

    def run(self, work: Coroutine[Any, Any, Any] | asyncio.Future[Any] | None) -> None:
        if work is not None:
            self.loop.run_until_complete(asyncio.wait_for(work, 20))

    def components(self, name: str) -> tuple[Component, ...]:
        """The components of a watched platform, from its recorded page."""
        recorded = {"Cloudflare": ("statuspage", CLOUDFLARE), "GitHub": ("statuspage", GITHUB)}
        recorded["Heroku"] = ("heroku", HEROKU)
        if name not in recorded:
            return ()
        from traywatch.providers import get_provider

        kind, path = recorded[name]
        snapshot = get_provider(kind).parse(
            (FIXTURES / path).read_bytes(), fetched_at=datetime.now(UTC), page_url=""
        )
        return snapshot.components


Screen = Callable[[Context], QWidget]
SCREENS: dict[str, Screen] = {}


def screen(name: str) -> Callable[[Screen], Screen]:
    def register(function: Screen) -> Screen:
        SCREENS[name] = function
        return function

    return register


# -- the settings window ---------------------------------------------------------------------


def settings_window(ctx: Context, config: str = CONFIG) -> Any:
    from traywatch.probe import probe
    from traywatch.ui.settings_window import SettingsWindow

    path = ctx.tmp / "config.toml"
    path.write_text(config, encoding="utf-8")
    window = SettingsWindow(
        load_config(path),
        path,
        probe=probe,
        store_secret=lambda _ref, _value, _allow: None,
        keyring_status="the desktop keyring (Secret Service)",
        autostart=(lambda: True, lambda _on: None),
        components_of=ctx.components,
    )
    window.show()
    return window


def _select(window: Any, name: str) -> None:
    items = window.service_list.findItems(name, Qt.MatchFlag.MatchExactly)
    window.service_list.setCurrentItem(items[0])


@screen("settings-platform")
def settings_platform(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    _select(window, "Cloudflare")
    return window  # type: ignore[no-any-return]


@screen("settings-endpoint")
def settings_endpoint(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    _select(window, "Shop API")
    return window  # type: ignore[no-any-return]


@screen("settings-problems")
def settings_problems(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    _select(window, "Shop API")
    window.form.editors["url"].line.setText("")
    window.form.editors["name"].line.setText("GitHub")
    window.form.editors["auth"].combo.setCurrentIndex(0)
    window._store_form()
    window.apply()
    return window  # type: ignore[no-any-return]


@screen("settings-notifications")
def settings_notifications(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    window.tabs.setCurrentIndex(1)
    return window  # type: ignore[no-any-return]


@screen("settings-general")
def settings_general(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    window.tabs.setCurrentIndex(2)
    return window  # type: ignore[no-any-return]


@screen("catalog")
def catalog_browse(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    dialog = window.add_from_catalog()
    dialog.choose("datadog-us1")
    return dialog  # type: ignore[no-any-return]


@screen("catalog-new-user")
def catalog_new_user(ctx: Context) -> QWidget:
    """A new user, nothing watched yet, adds GitHub and Heroku."""
    window = settings_window(ctx, config="")
    dialog = window.add_from_catalog()
    dialog.choose("github")
    dialog.choose("heroku")
    dialog.search.setText("heroku")
    return dialog  # type: ignore[no-any-return]


@screen("catalog-search")
def catalog_search(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    dialog = window.add_from_catalog()
    dialog.search.setText("git")
    return dialog  # type: ignore[no-any-return]


@screen("components-cloudflare")
def components_cloudflare(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    _select(window, "Cloudflare")
    window.form.editors["components"].button.click()
    dialog = window.components_dialog
    dialog.tree.search.setText("api")
    return dialog  # type: ignore[no-any-return]


@screen("components-cloudflare-groups")
def components_cloudflare_groups(ctx: Context) -> QWidget:
    window = settings_window(ctx)
    _select(window, "Cloudflare")
    window.form.editors["components"].button.click()
    return window.components_dialog  # type: ignore[no-any-return]


@screen("components-heroku")
def components_heroku(ctx: Context) -> QWidget:
    """Heroku watched for its Apps and Data only."""
    window = settings_window(ctx)
    _select(window, "Heroku")
    window.form.editors["components"].button.click()
    return window.components_dialog  # type: ignore[no-any-return]


@screen("settings-new-endpoint")
def settings_new_endpoint(ctx: Context) -> QWidget:
    """ "Add my own endpoint": the form of a new one, before anything is typed."""
    window = settings_window(ctx)
    window.add_endpoint_button.click()
    return window  # type: ignore[no-any-return]


@screen("runs-on")
def runs_on(ctx: Context) -> QWidget:
    """Shop API runs on Heroku's Apps."""
    window = settings_window(ctx)
    _select(window, "Shop API")
    window.form.editors["depends_on"].button.click()
    return window.runs_on_dialog  # type: ignore[no-any-return]


@screen("add-by-address")
def add_by_address(ctx: Context) -> QWidget:
    ctx.server.serve("/api/v2/summary.json", (FIXTURES / CLOUDFLARE).read_bytes())
    window = settings_window(ctx)
    dialog = window.add_by_url()
    dialog.url.setText(ctx.server.base_url)
    dialog.start_check()
    ctx.run(dialog._task)
    return dialog  # type: ignore[no-any-return]


@screen("add-by-address-web-page")
def add_by_address_web_page(ctx: Context) -> QWidget:
    page = (FIXTURES / "html" / "circleci-statuspage-head.html").read_text(encoding="utf-8")
    summary = (FIXTURES / GITHUB).read_bytes()
    ctx.server.serve("/api/v2/summary.json", summary)
    ctx.server.serve(
        "/incidents/xyz",
        page.replace("https://status.circleci.com", ctx.server.base_url).encode(),
        content_type="text/html; charset=utf-8",
    )
    window = settings_window(ctx)
    dialog = window.add_by_url()
    dialog.url.setText(ctx.server.url("/incidents/xyz"))
    dialog.start_check()
    ctx.run(dialog._task)
    return dialog  # type: ignore[no-any-return]


# -- the window, the tray menu and a notification: tests/gui/window_screens.py ----------------

from tests.gui import window_screens  # noqa: E402
from tests.gui.window_screens import SCREENS as WINDOW_SCREENS  # noqa: E402

SCREENS.update(WINDOW_SCREENS)


# -- the runner ------------------------------------------------------------------------------


def palette(scheme: str) -> QPalette:
    """Qt's own light palette, or a desktop's dark theme — with greyed, still readable,
    colours for disabled widgets (the tests' reference palettes: tests/gui/window_support)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return palette_for(scheme, app)


def shoot(ctx: Context, name: str, size: str, scheme: str) -> list[str]:
    """Show one screen, grab the screen, close it; what does not fit, in words."""
    top = SCREENS[name](ctx)
    available = QGuiApplication.primaryScreen().availableGeometry()
    frame = top.frameGeometry()
    top.move(available.center() - QPoint(frame.width() // 2, frame.height() // 2))
    top.raise_()
    for _ in range(3):
        ctx.app.processEvents()
        ctx.loop.run_until_complete(asyncio.sleep(0.1))
    image = QGuiApplication.primaryScreen().grabWindow(0)
    OUT.mkdir(parents=True, exist_ok=True)
    image.save(str(OUT / f"{name}-{size}-{scheme}.png"))
    problems = []
    if top.width() > available.width() or top.height() > available.height():
        problems.append(f"{name}: {top.width()}x{top.height()} does not fit {size}")
    close_everything(ctx)
    return problems


def close_everything(ctx: Context) -> None:
    """Nothing of one screen is left on the next: tooltips, menus, every top-level
    window, the notification server's bubbles."""
    QToolTip.hideText()
    window_screens._menus.clear()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    subprocess.run(["dunstctl", "close-all"], check=False, capture_output=True)
    for _ in range(3):
        ctx.app.processEvents()
        ctx.loop.run_until_complete(asyncio.sleep(0.05))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("screens", nargs="*", help="only these (default: all)")
    parser.add_argument("--size", default="1024x768", help="the screen's size, for file names")
    parser.add_argument("--list", action="store_true", help="name the screens and stop")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(SCREENS))
        return 0
    unknown = set(args.screens) - set(SCREENS)
    if unknown:
        parser.error(f"no screen {', '.join(sorted(unknown))} (see --list)")
    import qasync

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    problems: list[str] = []
    with StatusServer() as server, tempfile.TemporaryDirectory() as tmp:
        ctx = Context(app, loop, server, Path(tmp))
        for scheme in ("light", "dark"):
            app.setPalette(palette(scheme))
            for name in args.screens or SCREENS:
                problems += shoot(ctx, name, args.size, scheme)
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    print(json.dumps({"size": args.size, "written": str(OUT), "problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
