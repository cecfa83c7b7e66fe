#!/usr/bin/env bash
# Installs traywatch's desktop integration under PREFIX (/usr for the .deb, /app in the
# Flatpak): the menu entry, the AppStream metainfo, the application icon (SVG and PNG
# sizes, hicolor theme) and the man page.
# Usage: packaging/linux/install-data.sh PREFIX PYTHON
#   PYTHON: an interpreter that imports traywatch and PySide6 (renders the icons and
#   writes the man page from the command line's own definition).
set -euo pipefail
prefix=$1
python=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
id=$(sed -n 's/^APP_ID = "\(.*\)"$/\1/p' "$top/src/traywatch/__init__.py")

install -Dm644 "$top/resources/$id.desktop" "$prefix/share/applications/$id.desktop"
install -Dm644 "$top/resources/$id.metainfo.xml" "$prefix/share/metainfo/$id.metainfo.xml"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$python" "$top/packaging/render_icons.py" "$scratch"
mkdir -p "$prefix/share/icons"
cp -r "$scratch/hicolor" "$prefix/share/icons/"

mkdir -p "$prefix/share/man/man1"
"$python" "$top/packaging/debian/make_manpage.py" | gzip -9n >"$prefix/share/man/man1/traywatch.1.gz"
