# Shared by scripts/run and scripts/test: a Python >= 3.11 and a venv with traywatch in it.
# Sourced, not executed.

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
# Every extra scripts/lock resolves, so that one constraints.txt serves every install.
LOCKED_EXTRAS=test,package

# What Qt's X11 platform needs on a bare Debian/Ubuntu: scripts/run installs it for the
# tray app, scripts/test for the tests (the .deb's Depends come from the bundle itself).
QT_PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
)

die() { echo "traywatch: $*" >&2; exit 1; }

# Installs Debian/Ubuntu packages when root; otherwise prints the exact command and stops.
ensure_apt_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "traywatch: installing system packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing system packages; run:  sudo apt-get install -y ${missing[*]}"
  fi
}

ensure_python() {
  command -v "$PYTHON" >/dev/null || ensure_apt_packages python3
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is needed; $("$PYTHON" --version 2>&1) found (set PYTHON=/path/to/python3.11)"
  # Debian's own python3 ships venv and ensurepip separately.
  if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    local version
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    ensure_apt_packages "python${version}-venv"
  fi
}

# ensure_venv [EXTRAS]: a venv with traywatch[EXTRAS] installed at the exact versions of
# constraints.txt; redone when pyproject.toml or constraints.txt changes.
ensure_venv() {
  local extras=${1:-}
  local target=.
  [ -z "$extras" ] || target=".[$extras]"
  ensure_python
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV"
  fi
  local stamp prefix
  prefix="$VENV/.traywatch-$(cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)-"
  stamp="$prefix${extras:-base}"
  # Any extras installed at these versions include the base install.
  [ -n "$extras" ] || ! compgen -G "$prefix*" >/dev/null || return 0
  if [ ! -e "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      -c constraints.txt -e "$target"
    touch "$stamp"
  fi
}
