#!/usr/bin/env bash
# Installs everything the test suite needs, then runs ruff, mypy --strict and pytest.
#
# Debian packages (a Secret Service for the real keyring tests, a colour emoji font, Qt's runtime
# libraries, dpkg/desktop-file-utils for the packaging test) are installed with
# apt-get when missing and we are root; otherwise the command to install them is
# printed and the tests that need them skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(dbus gnome-keyring libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 fonts-noto-color-emoji
      libdbus-1-3 libxcb-cursor0 desktop-file-utils binutils dpkg
      xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
      libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
missing=()
for pkg in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
python=$(command -v python3.11 || command -v python3)
"$python" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Missing Debian packages (some tests will skip): sudo apt-get install ${missing[*]}"
    fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy --strict (everything outside ui/)"
.venv/bin/mypy
echo "== pytest"
export QT_QPA_PLATFORM=offscreen
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    # A private session bus and an unlocked keyring that both end with the run.
    sandbox=$(mktemp -d)
    trap 'rm -rf "$sandbox"' EXIT
    mkdir -p "$sandbox/home" "$sandbox/data" "$sandbox/runtime"
    chmod 700 "$sandbox/runtime"
    HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_RUNTIME_DIR="$sandbox/runtime" \
    DESKTOPCHAT_SECRET_SERVICE=1 \
        dbus-run-session -- sh -c \
        'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" -m pytest "$@"' \
        "$PWD/.venv/bin/python" "$@"
else
    exec .venv/bin/python -m pytest "$@"
fi
