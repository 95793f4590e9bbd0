#!/bin/sh
# Installs desktopchat for the current user, no root needed:
#   the app       ~/.local/opt/desktopchat/
#   a launcher    ~/.local/bin/desktopchat
#   menu entry    ${XDG_DATA_HOME:-~/.local/share}/applications/desktopchat.desktop
#   icons         ${XDG_DATA_HOME:-~/.local/share}/icons/hicolor/<size>/apps/
# Every file written and every folder created is recorded in the install folder, so
# uninstall.sh removes exactly those. Run it again to upgrade in place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
opt="$HOME/.local/opt/desktopchat"
bin="$HOME/.local/bin"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT

if [ -x "$opt/uninstall.sh" ]; then
    "$opt/uninstall.sh" --quiet || true  # an upgrade: take the old copy away first
fi
rm -rf "$opt"  # what a broken earlier install may have left (the folder is ours alone)

# mkdirs DIR: create DIR and missing parents, recording each so uninstall can remove it.
mkdirs() {
    if [ ! -d "$1" ]; then
        mkdirs "$(dirname "$1")"
        mkdir "$1"
        echo "dir $1" >>"$manifest"
    fi
}
# put SRC DEST: copy one file, recording it.
put() {
    mkdirs "$(dirname "$2")"
    cp "$1" "$2"
    echo "file $2" >>"$manifest"
}

mkdirs "$(dirname "$opt")"
cp -R -P "$here/desktopchat" "$opt"
echo "dir $opt" >>"$manifest"
cp "$here/uninstall.sh" "$opt/uninstall.sh"

mkdirs "$bin"
printf '#!/bin/sh\n# desktopchat per-user launcher (install.sh)\nexec "%s/desktopchat" "$@"\n' "$opt" \
    >"$bin/desktopchat"
chmod 755 "$bin/desktopchat"
echo "file $bin/desktopchat" >>"$manifest"

mkdirs "$share/applications"
sed "s|^Exec=.*|Exec=$opt/desktopchat|" "$here/share/applications/desktopchat.desktop" \
    >"$share/applications/desktopchat.desktop"
echo "file $share/applications/desktopchat.desktop" >>"$manifest"

(cd "$here/share" && find icons -type f) | while IFS= read -r icon; do
    put "$here/share/$icon" "$share/$icon"
done

cp "$manifest" "$opt/install-manifest"
echo "desktopchat installed in $opt"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "note: $bin is not on PATH; start it from the menu or run $bin/desktopchat" ;;
esac
