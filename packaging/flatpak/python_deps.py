"""Writes the Flatpak module of traywatch's Python dependencies (all but PySide6, which
the PySide base app provides) at the versions of constraints.txt: each wheel with its
address and SHA-256, as flatpak-builder wants them (it builds without the network).

Usage: python3 packaging/flatpak/python_deps.py > packaging/flatpak/python-deps.json
(run it where pip can reach the package index; the result is not committed)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
# The Python of the KDE runtime named in the manifest (6.10: freedesktop SDK 25.08).
PYTHON_VERSION = "3.13"
ARCHES = ("x86_64", "aarch64")
# The runtime's glibc is newer than all of these; pip takes only the tags listed.
WHEEL_PLATFORMS = ("manylinux_2_28_{}", "manylinux_2_17_{}", "manylinux2014_{}")
PROVIDED_BY_THE_BASE_APP = ("pyside6", "shiboken6")


def requirements() -> list[str]:
    project = tomllib.loads((TOP / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        r for r in project["dependencies"] if not r.lower().startswith(PROVIDED_BY_THE_BASE_APP)
    ]


def resolve(arch: str) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--only-binary=:all:", *(f"--platform={p.format(arch)}" for p in WHEEL_PLATFORMS),
             f"--python-version={PYTHON_VERSION}",
             "--implementation=cp", f"--target={scratch}/target", f"--report={report}",
             "-c", str(TOP / "constraints.txt"), *requirements()],
            check=True,
        )  # fmt: skip
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return [
        {
            "name": item["metadata"]["name"],
            "url": item["download_info"]["url"],
            "sha256": item["download_info"]["archive_info"]["hashes"]["sha256"],
        }
        for item in installs
    ]


def main() -> None:
    sources: list[dict[str, object]] = []
    names: set[str] = set()
    for arch in ARCHES:
        for wheel in resolve(arch):
            names.add(wheel["name"])
            source: dict[str, object] = {
                "type": "file",
                "url": wheel["url"],
                "sha256": wheel["sha256"],
            }
            if wheel["url"].endswith("-none-any.whl"):
                if source not in sources:
                    sources.append(source)
            else:
                sources.append({**source, "only-arches": [arch]})
    module = {
        "name": "python3-traywatch-dependencies",
        "buildsystem": "simple",
        "build-commands": [
            "pip3 install --no-index --no-deps --find-links=. --prefix=${FLATPAK_DEST} *.whl"
        ],
        "sources": sources,
    }
    json.dump(module, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
