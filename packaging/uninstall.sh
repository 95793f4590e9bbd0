#!/bin/sh
# Removes a per-user desktopchat installed by install.sh: exactly the files and folders
# recorded in its install-manifest. Your settings, history and keyring entries stay
# unless you pass --purge (then the config and data folders go too).
set -eu
opt="$HOME/.local/opt/desktopchat"
quiet=false
purge=false
for arg in "$@"; do
    case "$arg" in
        --quiet) quiet=true ;;
        --purge) purge=true ;;
        *) echo "usage: uninstall.sh [--purge] [--quiet]" >&2; exit 2 ;;
    esac
done
manifest="$opt/install-manifest"
if [ ! -f "$manifest" ]; then
    echo "desktopchat is not installed for this user ($manifest missing)" >&2
    exit 1
fi
entries=$(cat "$manifest")

# Files first, then folders deepest first (the manifest lists parents before children).
echo "$entries" | while IFS= read -r line; do
    case "$line" in file\ *) rm -f "${line#file }" ;; esac
done
rm -rf "$opt"
echo "$entries" | sed -n 's/^dir //p' | sort -r | while IFS= read -r dir; do
    rmdir "$dir" 2>/dev/null || true  # kept if something else now lives there
done

if $purge; then
    rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/desktopchat" \
        "${XDG_DATA_HOME:-$HOME/.local/share}/desktopchat"
fi
$quiet || echo "desktopchat removed from $opt"
