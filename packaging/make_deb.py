"""Build a Debian package from the one-dir bundle with dpkg-deb.

    .venv/bin/python packaging/build.py --deb        (or: make_deb.py dist/desktopchat)

Layout: the bundle in /opt/desktopchat, a launcher script /usr/bin/desktopchat, the
.desktop entry in /usr/share/applications and icons in /usr/share/icons/hicolor. The
maintainer scripts only refresh the desktop and icon caches, and postrm removes anything
left in /opt/desktopchat, so removing the package leaves nothing behind. User data in the
home folder and keys in the keyring are the user's and are never touched.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import buildinfo
import linux_layout

INSTALL_DIR = "/opt/desktopchat"

# What the bundle leaves to the system (see SYSTEM_LIBS in the spec) plus the X11/xcb
# libraries Qt's xcb plugin loads. Alternatives cover the t64 renames (Ubuntu 24.04+).
DEPENDS = (
    "libc6 (>= 2.28)", "libstdc++6", "libgcc-s1 | libgcc1", "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3", "libfontconfig1", "libfreetype6", "zlib1g", "libexpat1", "libx11-6",
    "libx11-xcb1", "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1",
    "libxkbcommon0", "libxkbcommon-x11-0", "libegl1", "libgl1", "libwayland-client0",
    "libwayland-cursor0", "libwayland-egl1",
)

LAUNCHER = f"""#!/bin/sh
# Installed by the desktopchat package: starts the bundled app.
exec {INSTALL_DIR}/desktopchat "$@"
"""

REFRESH_CACHES = """if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
hicolor=/usr/share/icons/hicolor
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f $hicolor/index.theme ]; then
    gtk-update-icon-cache -q -f $hicolor || true
fi
"""

POSTINST = f"""#!/bin/sh
set -e
if [ "$1" = configure ]; then
{REFRESH_CACHES}fi
"""

POSTRM = f"""#!/bin/sh
set -e
case "$1" in
    remove|purge)
        # Anything written into the install folder after installation goes with it.
        rm -rf {INSTALL_DIR}
{REFRESH_CACHES}        ;;
esac
"""


def deb_arch() -> str:
    if shutil.which("dpkg"):
        return subprocess.run(
            ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
        ).stdout.strip()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def control_file(version: str, arch: str, installed_kib: int) -> str:
    return (
        f"Package: {buildinfo.APP_NAME}\n"
        f"Version: {version}\n"
        "Section: net\n"
        "Priority: optional\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {buildinfo.MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        "Recommends: gnome-keyring | kwalletmanager | keepassxc\n"
        f"Homepage: {buildinfo.HOMEPAGE}\n"
        f"Description: {buildinfo.SUMMARY}\n"
        " A native Qt chat client for any OpenAI-compatible /chat/completions endpoint\n"
        " that streams Server-Sent Events. Keeps API keys in the system keyring and\n"
        " the whole history, searchable, on this computer.\n"
    )


def _write(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    path.chmod(mode)


def stage(root: Path, bundle: Path, version: str) -> None:
    """Lay out the package's file tree under `root` (DEBIAN/ included)."""
    shutil.copytree(bundle, root / INSTALL_DIR.lstrip("/"), symlinks=True)
    _write(root / "usr" / "bin" / buildinfo.APP_NAME, LAUNCHER, 0o755)
    linux_layout.install_share(root / "usr" / "share", version)
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)
    installed_kib = (buildinfo.dir_size(root) + 1023) // 1024
    debian = root / "DEBIAN"
    _write(debian / "control", control_file(version, deb_arch(), installed_kib), 0o644)
    _write(debian / "postinst", POSTINST, 0o755)
    _write(debian / "postrm", POSTRM, 0o755)


def build_deb(bundle: Path, outdir: Path, version: str, compression: str = "xz") -> Path:
    """Build desktopchat_<version>_<arch>.deb from `bundle` into `outdir`."""
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb not found: sudo apt-get install dpkg")
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{buildinfo.APP_NAME}_{version}_{deb_arch()}.deb"
    with tempfile.TemporaryDirectory(prefix="desktopchat-deb-") as scratch:
        root = Path(scratch) / "root"
        stage(root, bundle, version)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root),
             str(target)],
            check=True, stdout=subprocess.DEVNULL,
        )
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_deb.py <bundle folder, e.g. dist/desktopchat>")
    print(build_deb(Path(sys.argv[1]).resolve(), Path("dist").resolve(), buildinfo.read_version()))
