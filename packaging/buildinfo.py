"""Facts every packaging step shares: where the repo is, the app's names and its version.

The version is read from `desktopchat/__init__.py` (the one place it lives) by parsing
the file, so packaging never imports the app and never keeps a second copy.
Kept import-free of the app and of PyInstaller so the spec, the build script and the
installer makers can all use it. (This folder is deliberately not a Python package: a
package named `packaging` would shadow the PyPA library PyInstaller depends on.)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGING_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGING_DIR.parent
RESOURCES_DIR = REPO_ROOT / "resources"
ICONS_DIR = RESOURCES_DIR / "icons"

APP_NAME = "desktopchat"
DISPLAY_NAME = "DesktopChat"
BUNDLE_ID = "io.github.desktopchat"
SUMMARY = "Desktop chat client for OpenAI-compatible streaming endpoints"
MAINTAINER = "desktopchat developers <desktopchat@users.noreply.github.com>"
HOMEPAGE = "https://github.com/desktopchat/desktopchat"

# The hicolor sizes installed on Linux; the same PNGs are generated from the SVG.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# Budgets from DESIGN.md §8.
BUNDLE_BUDGET_MB = 130.0
COLD_START_BUDGET_S = 1.5


def read_version(init_file: Path | None = None) -> str:
    """`__version__` from desktopchat/__init__.py, without importing the package."""
    source = (init_file or REPO_ROOT / "desktopchat" / "__init__.py").read_text("utf-8")
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise RuntimeError("desktopchat/__init__.py has no literal __version__ = '...'")


def dir_size(folder: Path) -> int:
    """Bytes used by regular files under `folder` (symlinks not followed, like `du -b`)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
