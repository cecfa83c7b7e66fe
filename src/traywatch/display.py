"""Can the tray app open a window here? Decided before Qt is loaded, because Qt aborts
the whole process (SIGABRT and a core-dump message) when its platform plugin cannot
start: no display, a display that does not answer, or system libraries missing."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping

# What Qt's X11 plugin (libqxcb) links that a desktop may lack (a minimal or server
# install): soname -> the Debian/Ubuntu package that has it.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}

_NEEDS_A_SESSION = "the tray app needs a desktop session (`traywatch check` works without one)"


def problem(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> str | None:
    """One plain sentence saying why no window can be opened, or None."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # Windows and macOS always have their one display
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
    if wanted and wanted not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, vnc, eglfs…: chosen on purpose
    wayland, x11 = environ.get("WAYLAND_DISPLAY", ""), environ.get("DISPLAY", "")
    if wanted != "xcb" and wayland:
        if _wayland_answers(wayland, environ.get("XDG_RUNTIME_DIR", "")):
            return None
        if wanted or not x11:
            return f"cannot connect to the Wayland display {wayland!r}; {_NEEDS_A_SESSION}"
    if not x11:
        return f"no display: neither DISPLAY nor WAYLAND_DISPLAY is set; {_NEEDS_A_SESSION}"
    if not _x11_answers(x11):
        return f"cannot connect to the X display {x11!r}; {_NEEDS_A_SESSION}"
    missing = missing_libraries(XCB_LIBRARIES)
    if missing:
        packages = " ".join(XCB_LIBRARIES[name] for name in missing)
        return (
            f"Qt needs system libraries that are missing here: {', '.join(missing)} "
            f"(Debian/Ubuntu: sudo apt-get install {packages})"
        )
    return None


def missing_libraries(sonames: Mapping[str, str]) -> list[str]:
    # Loading them costs nothing extra: Qt loads the same ones a moment later.
    import ctypes

    missing = []
    for soname in sonames:
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def _wayland_answers(name: str, runtime_dir: str) -> bool:
    path = name if name.startswith("/") else os.path.join(runtime_dir, name)
    return _connects(socket.AF_UNIX, path)


def _x11_answers(display: str) -> bool:
    """Connects to the X server named by DISPLAY ([host]:number[.screen])."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        # Linux servers also listen on the abstract socket of the same name.
        return _connects(socket.AF_UNIX, path) or _connects(socket.AF_UNIX, "\0" + path)
    try:  # a forwarded (ssh -X) or remote display
        socket.create_connection((host.removeprefix("tcp/"), 6000 + int(number)), 3).close()
    except OSError:
        return False
    return True


def _connects(family: socket.AddressFamily, address: str) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(3)
            probe.connect(address)
    except OSError:
        return False
    return True
