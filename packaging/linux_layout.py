"""The Linux desktop files both installers lay down: the .desktop entry and hicolor icons."""

from __future__ import annotations

import shutil
from pathlib import Path

import buildinfo


def desktop_entry(version: str, exec_path: str = buildinfo.APP_NAME) -> str:
    """resources/desktopchat.desktop with the launcher path and the app's version filled in."""
    lines = []
    for line in (buildinfo.RESOURCES_DIR / "desktopchat.desktop").read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_path}"
        lines.append(line)
    lines.append(f"X-DesktopChat-Version={version}")
    return "\n".join(lines) + "\n"


def install_share(share: Path, version: str, exec_path: str = buildinfo.APP_NAME) -> list[Path]:
    """Write applications/desktopchat.desktop and icons/hicolor/... under `share`."""
    written = []
    entry = share / "applications" / "desktopchat.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry(version, exec_path), "utf-8")
    written.append(entry)
    hicolor = share / "icons" / "hicolor"
    for size in buildinfo.ICON_SIZES:
        target = hicolor / f"{size}x{size}" / "apps" / "desktopchat.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(buildinfo.ICONS_DIR / f"desktopchat-{size}.png", target)
        written.append(target)
    svg = hicolor / "scalable" / "apps" / "desktopchat.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(buildinfo.ICONS_DIR / "desktopchat.svg", svg)
    written.append(svg)
    return written
