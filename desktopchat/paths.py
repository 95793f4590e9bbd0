"""Where desktopchat keeps its files, and where it finds its own resources.

Config and data follow the platform's conventions (platformdirs). A base folder
given with `--basedir DIR` or `DESKTOPCHAT_BASEDIR` holds both instead, for
tests and portable use. Resources are found beside the package in a source tree
or a wheel, and inside the bundle when frozen by PyInstaller.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "desktopchat"
BASEDIR_ENV = "DESKTOPCHAT_BASEDIR"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The folders one run of the app uses. Built once in app.py and passed in."""

    config_dir: Path
    data_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def tools_file(self) -> Path:
        """MCP servers and tool choices (its own file, as other MCP clients keep theirs)."""
        return self.config_dir / "tools.json"

    @property
    def window_state_file(self) -> Path:
        # Kept apart from user settings: geometry is machine state, not a preference.
        return self.config_dir / "window-state.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def ensure(self) -> AppPaths:
        """Create the folders that can be created. One that cannot (a read-only place) is
        left to whoever writes there, which says so: the app still starts, to read."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                continue
        return self


def app_paths(basedir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The folders for this run: `basedir`, else $DESKTOPCHAT_BASEDIR, else the platform's."""
    chosen = basedir if basedir is not None else os.environ.get(BASEDIR_ENV) or None
    if chosen is not None:
        base = Path(chosen).expanduser().resolve()
        return AppPaths(config_dir=base / "config", data_dir=base / "data")
    import platformdirs  # only here: a portable folder needs none of it (~5 ms)

    return AppPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
    )


def resources_dir() -> Path:
    """The `resources/` folder, wherever this copy of the app was installed or frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    package_dir = Path(__file__).resolve().parent
    inside = package_dir / "resources"  # wheel installs carry it inside the package
    if inside.is_dir():
        return inside
    return package_dir.parent / "resources"  # source tree


def resource(*parts: str) -> Path:
    """A file under resources/, e.g. resource("icons", "desktopchat.svg")."""
    return resources_dir().joinpath(*parts)
