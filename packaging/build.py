"""The one build command: a one-dir bundle of desktopchat for this OS, plus installers.

    .venv/bin/python packaging/build.py              # dist/desktopchat/ (one-dir bundle)
    .venv/bin/python packaging/build.py --deb --tarball     # Linux: + .deb and .tar.gz
    .venv/bin/python packaging/build.py --installer  # Windows: + Inno Setup installer
                                                     # macOS: dist/DesktopChat.app as well

Options --distpath/--workpath put the bundle and PyInstaller's scratch files elsewhere
(the packaging test builds into a temp folder). The version comes from
desktopchat/__init__.py and is handed to every step from here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import buildinfo


def build_bundle(distpath: Path, workpath: Path) -> Path:
    """Run PyInstaller on the spec; returns dist/desktopchat."""
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(distpath), "--workpath", str(workpath),
        str(buildinfo.PACKAGING_DIR / "desktopchat.spec"),
    ]
    # A cache of stripped binaries per work folder instead of the shared ~/.cache one, which
    # --clean would wipe under a build running beside this one (e.g. two test runs).
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(workpath / "pyinstaller-cache"))
    subprocess.run(command, check=True, cwd=buildinfo.REPO_ROOT, env=env)
    bundle = distpath / buildinfo.APP_NAME
    if not (bundle / executable_name()).is_file():
        raise SystemExit(f"PyInstaller finished but {bundle / executable_name()} is missing")
    return bundle


def executable_name(name: str = buildinfo.APP_NAME) -> str:
    return f"{name}.exe" if sys.platform == "win32" else name


def build_windows_installer(bundle: Path, outdir: Path, version: str) -> Path:
    """Compile packaging/windows/desktopchat.iss with Inno Setup's iscc (must be on PATH)."""
    iscc = shutil.which("iscc")
    if iscc is None:  # the installer does not put it on PATH
        for root in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
            candidate = Path(root or "C:/missing") / "Inno Setup 6" / "ISCC.exe"
            if candidate.is_file():
                iscc = str(candidate)
                break
    if iscc is None:
        raise SystemExit(
            "--installer needs Inno Setup 6 (choco install innosetup) or iscc.exe on PATH"
        )
    subprocess.run(
        [
            iscc, f"/DAppVersion={version}", f"/DBundleDir={bundle}", f"/DOutputDir={outdir}",
            f"/DIconFile={buildinfo.ICONS_DIR / 'desktopchat.ico'}",
            str(buildinfo.PACKAGING_DIR / "windows" / "desktopchat.iss"),
        ],
        check=True,
    )
    return outdir / f"desktopchat-{version}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distpath", type=Path, default=buildinfo.REPO_ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=buildinfo.REPO_ROOT / "build")
    parser.add_argument("--deb", action="store_true", help="also build a .deb (Linux)")
    parser.add_argument("--tarball", action="store_true", help="also build a per-user .tar.gz")
    parser.add_argument("--installer", action="store_true", help="also build the Inno installer")
    parser.add_argument(
        "--deb-compression", default="xz", choices=("xz", "gzip", "zstd", "none"),
        help="dpkg-deb compression (xz is smallest; gzip is fastest)",
    )
    args = parser.parse_args(argv)

    version = buildinfo.read_version()
    distpath, workpath = args.distpath.resolve(), args.workpath.resolve()
    started = time.perf_counter()
    bundle = build_bundle(distpath, workpath)
    size_mb = buildinfo.dir_size(bundle) / 2**20
    print(
        f"bundle: {bundle} ({size_mb:.1f} MiB, budget {buildinfo.BUNDLE_BUDGET_MB:.0f}) "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    if args.deb:
        import make_deb

        print(f"deb: {make_deb.build_deb(bundle, distpath, version, args.deb_compression)}")
    if args.tarball:
        import make_tarball

        print(f"tarball: {make_tarball.build_tarball(bundle, distpath, version)}")
    if args.installer:
        print(f"installer: {build_windows_installer(bundle, distpath, version)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
