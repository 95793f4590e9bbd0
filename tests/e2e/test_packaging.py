"""The packaged app: build the PyInstaller bundle (and on Linux the .deb and tarball) into a
temp folder once, then run what a user would run from each of them.

Slow (the build takes a minute or two), but part of the normal run: packaging that is not
exercised breaks silently as the app grows. Figures (size, start-up) are printed, never
asserted against wall-clock budgets except the size, which is deterministic.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktopchat import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
IS_LINUX = sys.platform.startswith("linux")
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
BUDGET_MIB = 140.0  # DESIGN.md §8, with the MCP SDK inside
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class Built:
    bundle: Path
    deb: Path | None
    tarball: Path | None
    seconds: float


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.update(extra)
    return env


def _run(
    args: list[str | Path], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.skip("PyInstaller is not installed: pip install -e '.[dev]'")
    out = tmp_path_factory.mktemp("packaging")
    linux_installers = IS_LINUX and shutil.which("dpkg-deb") is not None
    command = [
        sys.executable, str(PACKAGING / "build.py"),
        "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
    ]
    if linux_installers:
        command += ["--deb", "--tarball", "--deb-compression", "gzip"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=840, cwd=ROOT)
    seconds = time.perf_counter() - started
    log = f"{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
    assert result.returncode == 0, f"build failed:\n{log}"
    dist = out / "dist"
    debs = sorted(dist.glob("*.deb"))
    tarballs = sorted(dist.glob("*.tar.gz"))
    yield Built(
        bundle=dist / "desktopchat",
        deb=debs[0] if debs else None,
        tarball=tarballs[0] if tarballs else None,
        seconds=seconds,
    )
    shutil.rmtree(out, ignore_errors=True)  # two bundles, two installers: ~400 MB


def _self_test(executable: Path, basedir: Path, runs: int = 1) -> list[float]:
    """Run `--self-test` `runs` times; returns wall-clock seconds of each run."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = _run([executable, "--self-test", "--basedir", basedir], env=_env())
        times.append(time.perf_counter() - started)
        assert result.returncode == 0, f"{executable} --self-test failed:\n{result.stderr[-4000:]}"
        assert result.stdout.split()[:1] == ["ok"], result.stdout + result.stderr
    return times


def _size_mib(folder: Path) -> float:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def test_bundle_self_test_size_and_start_up(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    executable = built.bundle / f"desktopchat{EXE_SUFFIX}"
    times = _self_test(executable, tmp_path / "base", runs=5)
    assert (tmp_path / "base" / "config").is_dir(), "--basedir was not honoured in the bundle"
    size = _size_mib(built.bundle)
    with capsys.disabled():
        print(
            f"\n[packaging] build {built.seconds:.0f} s; bundle {size:.1f} MiB "
            f"(budget {BUDGET_MIB:.0f}); --self-test first {times[0]:.2f} s, "
            f"median {statistics.median(times):.2f} s (budget 1.5 s)"
        )
    assert size <= BUDGET_MIB, f"bundle is {size:.1f} MiB, over the {BUDGET_MIB:.0f} MiB budget"


def test_bundle_lists_the_tools_of_an_mcp_server(built: Built, tmp_path: Path) -> None:
    # The SDK (imported lazily, on the tool host's thread) must be complete in the bundle.
    # The server itself runs from source: the bundle is only its client.
    executable = built.bundle / f"desktopchat{EXE_SUFFIX}"
    server = f"{sys.executable} -m tests.support.mcp_server"
    result = subprocess.run(
        [str(executable), "--self-test", "--basedir", str(tmp_path / "base"),
         "--self-test-mcp", server],
        capture_output=True, text=True, timeout=120, env=_env(), cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert result.stdout.splitlines()[1] == "tools add,echo,slow,fail,image,crash,big"


def test_bundle_opens_history_written_from_source(built: Built, tmp_path: Path) -> None:
    # The bundle's own SQLite (FTS5, migrations) must read what the source build wrote, and
    # highlighted code (Pygments lexers found by name) must render in the frozen app.
    from desktopchat.storage.store import HistoryStore

    (tmp_path / "data").mkdir()
    store = HistoryStore.open(tmp_path / "data" / "history.sqlite3")
    conversation = store.create_conversation(title="Packaged")
    store.add_user_message(conversation.id, "Show me **code**")
    reply = store.start_assistant_message(conversation.id)
    code = "```python\nprint(1)\n```\n```rust\nfn main() {}\n```\n```bash\necho hi\n```"
    store.finish_assistant_message(reply.id, state="complete", content=code)
    store.close()
    _self_test(built.bundle / f"desktopchat{EXE_SUFFIX}", tmp_path)
    reopened = HistoryStore.open(tmp_path / "data" / "history.sqlite3")
    try:
        assert [c.title for c in reopened.list_conversations()] == ["Packaged"]
        assert reopened.search("code"), "full-text search broke after the bundled app ran"
    finally:
        reopened.close()


@pytest.mark.skipif(not IS_LINUX, reason="X11 (xcb) is the Linux desktop platform")
def test_bundle_starts_on_a_real_x_server(built: Built, tmp_path: Path) -> None:
    # Offscreen proves little about the desktop: this loads the xcb platform plugin and the
    # system's X libraries, as a double-click on a Linux desktop does.
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run missing: sudo apt-get install xvfb xauth")
    env = _env(QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        ["xvfb-run", "-a", str(built.bundle / "desktopchat"), "--self-test", "--basedir",
         str(tmp_path / "base")],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split()[:1] == ["ok"], result.stdout + result.stderr
    assert "platform plugin" not in result.stderr, result.stderr


def test_bundle_version_matches_the_package(built: Built) -> None:
    result = _run([built.bundle / f"desktopchat{EXE_SUFFIX}", "--version"], env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"desktopchat {__version__}"


def test_bundle_carries_resources_and_leaves_out_unused_qt(built: Built) -> None:
    internal = built.bundle / "_internal"
    assert (internal / "resources" / "icons" / "desktopchat.svg").is_file()
    assert (internal / "resources" / "desktopchat.desktop").is_file()
    names = {p.name for p in internal.rglob("*")}
    for unused in ("QtWebEngine", "Qt6Qml", "Qt6Quick", "Qt6Network", "Qt6Pdf", "Qt63D",
                   "Qt6Multimedia", "qgtk3", "qtvirtualkeyboard", "libgtk-3"):
        found = sorted(n for n in names if unused in n)
        assert not found, f"unused Qt parts were bundled: {found}"
    # Only the languages the UI speaks: ours and Qt's for Simplified Chinese, in one folder.
    catalogues = sorted(p.relative_to(internal).as_posix() for p in internal.rglob("*.qm"))
    assert catalogues == ["resources/translations/desktopchat_zh_CN.qm",
                          "resources/translations/qtbase_zh_CN.qm"]
    assert not list(internal.rglob("*.ts")), "translation sources were bundled"
    if IS_LINUX:
        plugins = internal / "PySide6" / "Qt" / "plugins"
        platforms = {p.name for p in (plugins / "platforms").iterdir()}
        assert {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"} <= platforms
        assert (plugins / "iconengines" / "libqsvgicon.so").exists()


def test_app_archive_holds_the_modules_loaded_by_name(built: Built) -> None:
    from PyInstaller.archive.readers import pkg_archive_contents

    modules = set(pkg_archive_contents(str(built.bundle / f"desktopchat{EXE_SUFFIX}")))
    needed = {
        "desktopchat.app", "desktopchat.paths", "desktopchat.errors", "qasync", "httpx",
        "httpx_sse", "socksio", "markdown_it", "platformdirs", "keyring.backends.SecretService",
        "keyring.backends.fail", "keyring.backends.null", "keyring.backends.macOS",
        "keyring.backends.Windows", "secretstorage", "jeepney", "pygments.lexers.python",
        "pygments.lexers.javascript", "pygments.styles.default", "pygments.formatters.html",
    }
    assert not needed - modules, f"missing from the bundle: {sorted(needed - modules)}"
    ours = {p.stem for p in (ROOT / "desktopchat").rglob("*.py") if "__" not in p.stem}
    bundled_ours = {m.rsplit(".", 1)[-1] for m in modules if m.startswith("desktopchat.")}
    assert not ours - bundled_ours, f"desktopchat modules missing: {sorted(ours - bundled_ours)}"


def test_bundled_keyring_reaches_the_secret_service(built: Built) -> None:
    if os.environ.get("DESKTOPCHAT_SECRET_SERVICE") != "1":
        reason = "no Secret Service session (scripts/test.sh runs pytest inside one)"
        if os.environ.get("DESKTOPCHAT_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    result = _run([built.bundle / f"keyring-probe{EXE_SUFFIX}"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok keyring.backends.SecretService.Keyring", result.stdout


@pytest.mark.skipif(not IS_LINUX, reason="the .deb is built on Linux only")
def test_deb_layout_desktop_entry_and_self_test(built: Built, tmp_path: Path) -> None:
    if built.deb is None:
        pytest.skip("dpkg-deb is not installed: sudo apt-get install dpkg")
    root = tmp_path / "root"
    assert _run(["dpkg-deb", "-x", built.deb, root]).returncode == 0
    fields = dict(
        line.split(": ", 1)
        for line in _run(["dpkg-deb", "-f", built.deb]).stdout.splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "desktopchat"
    assert fields["Version"] == __version__
    for lib in ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
                "libxcb-cursor0"):
        assert lib in fields["Depends"]
    launcher = root / "usr" / "bin" / "desktopchat"
    assert os.access(launcher, os.X_OK)
    assert "/opt/desktopchat/desktopchat" in launcher.read_text()
    entry = root / "usr" / "share" / "applications" / "desktopchat.desktop"
    assert f"X-DesktopChat-Version={__version__}" in entry.read_text()
    for size in (16, 32, 48, 64, 128, 256, 512):
        icon = root / f"usr/share/icons/hicolor/{size}x{size}/apps/desktopchat.png"
        assert _png_size(icon.read_bytes()) == (size, size)
    assert (root / "usr/share/icons/hicolor/scalable/apps/desktopchat.svg").is_file()
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate missing: sudo apt-get install desktop-file-utils")
    check = _run(["desktop-file-validate", entry])
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
    _self_test(root / "opt" / "desktopchat" / "desktopchat", tmp_path / "base")

    control = tmp_path / "control"
    assert _run(["dpkg-deb", "-e", built.deb, control]).returncode == 0
    for script in ("postinst", "postrm"):
        assert _run(["sh", "-n", control / script]).returncode == 0
    assert "rm -rf /opt/desktopchat" in (control / "postrm").read_text()


# Libraries the bundle may need from the system but that this machine may lack, and the
# Debian package that provides each (it must be in the .deb's Depends).
MAY_BE_MISSING = {"libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1"}


@pytest.mark.skipif(not IS_LINUX, reason="ldd and the .deb are Linux only")
def test_every_library_resolves_or_is_a_declared_dependency(built: Built) -> None:
    if shutil.which("ldd") is None or built.deb is None:
        pytest.skip("ldd or dpkg-deb is not installed")
    internal = built.bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    missing: dict[str, set[str]] = {}
    for path in internal.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in listing.stdout.splitlines():
            if "not found" in line:
                missing.setdefault(line.split()[0], set()).add(path.name)
    unknown = {lib: users for lib, users in missing.items() if lib not in MAY_BE_MISSING}
    assert not unknown, f"bundled libraries need system libraries nobody provides: {unknown}"
    depends = _run(["dpkg-deb", "-f", built.deb, "Depends"]).stdout
    for lib in missing:
        assert MAY_BE_MISSING[lib] in depends, f"{lib}: add {MAY_BE_MISSING[lib]} to Depends"


@pytest.mark.skipif(not IS_LINUX, reason="the tarball is built on Linux only")
def test_tarball_installs_for_one_user_and_uninstalls_cleanly(built: Built, tmp_path: Path) -> None:
    if built.tarball is None:
        pytest.skip("dpkg-deb is not installed, so the Linux installers were not built")
    with tarfile.open(built.tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").iterdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in _env(HOME=str(home)).items() if not k.startswith("XDG_")}
    installed = _run(["sh", top / "install.sh"], env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    opt = home / ".local" / "opt" / "desktopchat"
    entry = home / ".local/share/applications/desktopchat.desktop"
    assert f"Exec={opt}/desktopchat" in entry.read_text()
    assert (home / ".local/share/icons/hicolor/256x256/apps/desktopchat.png").is_file()
    version = _run([home / ".local" / "bin" / "desktopchat", "--version"], env=env)
    assert version.stdout.strip() == f"desktopchat {__version__}"
    _self_test(home / ".local" / "bin" / "desktopchat", tmp_path / "base")
    if shutil.which("desktop-file-validate"):
        check = _run(["desktop-file-validate", entry])
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    # Installing again over itself is an upgrade, not an error.
    assert _run(["sh", top / "install.sh"], env=env).returncode == 0

    removed = _run(["sh", opt / "uninstall.sh"], env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert left == [], f"uninstall left these behind: {left}"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_files_hold_every_size() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert _png_size((ICONS / f"desktopchat-{size}.png").read_bytes()) == (size, size)
    ico = (ICONS / "desktopchat.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, _h, _c, _r, _p, _bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * index : 22 + 16 * index]
        )
        sizes.add(width or 256)
        assert _png_size(ico[offset : offset + length])[0] == (width or 256)
    assert {16, 32, 48, 256} <= sizes
    icns = (ICONS / "desktopchat.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, at = {}, 8
    while at < len(icns):
        kind, length = icns[at : at + 4], struct.unpack(">I", icns[at + 4 : at + 8])[0]
        kinds[kind] = _png_size(icns[at + 8 : at + length])[0]
        at += length
    assert kinds[b"ic10"] == 1024 and kinds[b"icp4"] == 16 and kinds[b"ic07"] == 128


def test_version_lives_only_in_the_package() -> None:
    # The spec, installers and scripts must read __version__, never repeat it.
    literal = re.compile(rf"(?<![\w.]){re.escape(__version__)}(?![\w.])")
    for path in [*PACKAGING.rglob("*"), ROOT / "resources" / "desktopchat.desktop"]:
        if path.is_file() and path.suffix in {".py", ".spec", ".iss", ".sh", ".desktop", ".md"}:
            assert not literal.search(path.read_text("utf-8")), f"{path} repeats the version"


def test_bundle_serves_formulas_from_its_math_worker(built: Built) -> None:
    # Formulas are drawn in a helper process, which the frozen app starts as itself with
    # --math-worker (no `python -m` in a bundle): ziamath and its font must be inside.
    request = {"id": 7, "latex": r"\frac{a}{b}", "display": False, "color": "#112233", "size": 16}
    result = subprocess.run(
        [str(built.bundle / f"desktopchat{EXE_SUFFIX}"), "--math-worker"],
        input=json.dumps(request) + "\n", capture_output=True, text=True, timeout=120, env=_env(),
    )
    assert result.returncode == 0, result.stderr[-4000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"ready": True}, result.stdout[:400]
    assert lines[1]["id"] == 7 and "<svg" in lines[1]["svg"], result.stdout[:400]
