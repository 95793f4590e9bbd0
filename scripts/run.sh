#!/usr/bin/env bash
# Installs desktopchat into ./.venv (first run only) and launches it. Extra arguments
# go to the app, e.g. `bash scripts/run.sh --basedir ~/portable-chat`.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(command -v python3.11 || command -v python3)
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "Python's venv module is missing: sudo apt-get install python3-venv" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/desktopchat "$@"
