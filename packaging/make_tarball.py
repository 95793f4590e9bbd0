"""Pack the one-dir bundle with install.sh/uninstall.sh into a .tar.gz for per-user installs.

    .venv/bin/python packaging/build.py --tarball

Archive layout (one top folder, desktopchat-<version>/):
    install.sh, uninstall.sh, desktopchat/ (the bundle), share/ (.desktop entry, icons)
"""

from __future__ import annotations

import platform
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import buildinfo
import linux_layout


def build_tarball(bundle: Path, outdir: Path, version: str) -> Path:
    """Write desktopchat-<version>-linux-<machine>.tar.gz into `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    top = f"{buildinfo.APP_NAME}-{version}"
    target = outdir / f"{top}-linux-{platform.machine()}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="desktopchat-tar-") as scratch:
        root = Path(scratch) / top
        shutil.copytree(bundle, root / buildinfo.APP_NAME, symlinks=True)
        for script in ("install.sh", "uninstall.sh"):
            shutil.copy2(buildinfo.PACKAGING_DIR / script, root / script)
            (root / script).chmod(0o755)
        linux_layout.install_share(root / "share", version)
        with tarfile.open(target, "w:gz", compresslevel=6) as archive:
            archive.add(root, arcname=top, filter=_normalise)
    return target


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The builder's user and group mean nothing on the machine that unpacks it.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_tarball.py <bundle folder, e.g. dist/desktopchat>")
    print(build_tarball(Path(sys.argv[1]).resolve(), Path("dist").resolve(),
                        buildinfo.read_version()))
