# A private, throw-away desktop for the tests: Xvfb, a session bus, a notification
# daemon (dunst), two tray hosts (trayer: XEmbed; gtk-sni-tray: StatusNotifierItem)
# and an unlocked keyring daemon. Sourced; `start_desktop` exports DISPLAY,
# DBUS_SESSION_BUS_ADDRESS and private XDG dirs, and stops everything on exit.

DESKTOP_PACKAGES=(
  "${QT_PACKAGES[@]}"
  # the real desktop parts
  xvfb dbus-daemon dbus-bin trayer haskell-gtk-sni-tray-utils dunst gnome-keyring
  # the packaging tests: validators, and a real launcher of desktop entries (gio launch)
  desktop-file-utils appstream libglib2.0-bin
  # xwininfo: the tests ask the X server which windows are on the screen
  x11-utils
  # a self-signed certificate for the HTTPS tests of the direct path
  openssl
)

DESKTOP_PIDS=()

stop_desktop() {
  local i
  for ((i=${#DESKTOP_PIDS[@]}-1; i>=0; i--)); do kill "${DESKTOP_PIDS[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${DESKTOP_RUN:-}" ] && rm -rf "$DESKTOP_RUN"
  DESKTOP_PIDS=()
}

_wait_for_file() { local _; for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }

_has_owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

_wait_for_name() {
  local _
  for _ in $(seq 600); do _has_owner "$1" && return 0; sleep 0.05; done
  echo "traywatch: $1 did not appear on the session bus; what the desktop's parts said:" >&2
  tail -n 5 "$DESKTOP_RUN"/*.log >&2 || true
  return 1
}

start_desktop() {
  DESKTOP_RUN=$(mktemp -d /tmp/traywatch-desktop.XXXXXX)
  chmod 700 "$DESKTOP_RUN"
  trap stop_desktop EXIT
  export XDG_RUNTIME_DIR=$DESKTOP_RUN/run XDG_DATA_HOME=$DESKTOP_RUN/data
  export XDG_CONFIG_HOME=$DESKTOP_RUN/config XDG_CACHE_HOME=$DESKTOP_RUN/cache
  export XDG_STATE_HOME=$DESKTOP_RUN/state
  mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
  chmod 700 "$XDG_RUNTIME_DIR"
  export NO_AT_BRIDGE=1   # GTK hosts would otherwise start accessibility daemons that linger
  unset QT_QPA_PLATFORM   # the real xcb platform: offscreen has no tray at all

  Xvfb -displayfd 3 -screen 0 "${TRAYWATCH_TEST_SCREEN:-1024x768x24}" -nolisten tcp 3>"$DESKTOP_RUN/display" \
    >"$DESKTOP_RUN/xvfb.log" 2>&1 &
  DESKTOP_PIDS+=($!)
  _wait_for_file "$DESKTOP_RUN/display" || { echo "traywatch: Xvfb did not start" >&2; return 1; }
  export DISPLAY=":$(cat "$DESKTOP_RUN/display")"

  dbus-daemon --session --nofork --nopidfile --address="unix:path=$DESKTOP_RUN/bus" \
    --print-address=3 3>"$DESKTOP_RUN/bus.addr" 2>"$DESKTOP_RUN/dbus.log" &
  DESKTOP_PIDS+=($!)
  _wait_for_file "$DESKTOP_RUN/bus.addr" || { echo "traywatch: no session bus" >&2; return 1; }
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$DESKTOP_RUN/bus"

  echo -n traywatch-test | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$DESKTOP_RUN/keyring.log" 2>&1 &
  DESKTOP_PIDS+=($!)
  dunst >"$DESKTOP_RUN/dunst.log" 2>&1 &
  DESKTOP_PIDS+=($!)
  trayer --edge top --align right --widthtype pixel --width 200 --height 32 \
    --transparent false >"$DESKTOP_RUN/trayer.log" 2>&1 &
  DESKTOP_PIDS+=($!)
  _wait_for_name org.freedesktop.secrets
  _wait_for_name org.freedesktop.Notifications
  _start_sni_tray
  export TRAYWATCH_TEST_DESKTOP=1
}

# gtk-sni-tray-standalone sometimes dies at start ("Pattern match failure in do
# expression at app/Main.hs:177", after an UnknownObject error from another client on
# the bus, measured about one start in fifteen on a loaded machine): start it again.
_start_sni_tray() {
  local attempt pid _
  for attempt in 1 2 3; do
    gtk-sni-tray-standalone --watcher --bottom --end -s 32 -c '#303030' \
      >>"$DESKTOP_RUN/sni.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
      if _has_owner org.kde.StatusNotifierWatcher; then
        DESKTOP_PIDS+=("$pid")
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill "$pid" 2>/dev/null || true
    echo "traywatch: the StatusNotifierItem host did not start (attempt $attempt)" >&2
  done
  _wait_for_name org.kde.StatusNotifierWatcher  # says what the parts logged
}
