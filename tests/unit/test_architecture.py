"""The dependency arrows of DESIGN.md §1, checked by parsing every import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktopchat"
QT_MODULES = ("PySide6", "qasync", "shiboken6")


def imported_modules(path: Path) -> set[str]:
    """Absolute names of everything a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = module_name(path)
    package_parts = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def wrong_arrows(path: Path) -> list[str]:
    me = module_name(path)
    problems = []
    for name in imported_modules(path):
        in_ui_or_app = under(me, "desktopchat.ui") or me in ("desktopchat.app",)
        if any(under(name, qt) for qt in QT_MODULES) and not in_ui_or_app:
            problems.append(f"{me} imports Qt ({name}); only ui/ and app.py may")
        if under(name, "desktopchat.ui") and not in_ui_or_app:
            problems.append(f"{me} imports {name}; only app.py may import ui")
        if under(me, "desktopchat.core") and under(name, "desktopchat.storage"):
            problems.append(f"{me} imports {name}; core must not know storage")
        if under(me, "desktopchat.storage") and under(name, "desktopchat.core"):
            problems.append(f"{me} imports {name}; storage must not know core")
        below_ui = not in_ui_or_app and me != "desktopchat.__main__"
        if below_ui and under(name, "desktopchat.app"):
            problems.append(f"{me} imports the composition root {name}")
        if under(me, "desktopchat.core") and any(
            under(name, f"desktopchat.{m}") for m in ("settings", "secrets")
        ):
            problems.append(f"{me} imports {name}; core sits below settings and secrets")
        # The command line sits beside ui: it never loads Qt, the window or the composition
        # root, and only the entry point reaches it.
        if under(me, "desktopchat.cli") and under(name, "desktopchat.app"):
            problems.append(f"{me} imports {name}; the command line never builds the window")
        if under(name, "desktopchat.cli") and not (
            under(me, "desktopchat.cli") or me == "desktopchat.__main__"
        ):
            problems.append(f"{me} imports {name}; only __main__ dispatches to the command line")
        if under(me, "desktopchat.tools") and any(
            under(name, f"desktopchat.{m}") for m in ("storage", "secrets", "core")
        ):
            problems.append(f"{me} imports {name}; tools gets its data and secrets handed in")
        if under(me, "desktopchat.settings") and under(name, "desktopchat.tools"):
            problems.append(f"{me} imports {name}; settings is data and knows no tool code")
        if me == "desktopchat.errors" and under(name, "desktopchat") and name != me:
            problems.append(f"errors imports {name}; errors is the bottom of the tree")
        problems.extend(leaf_rule_problems(me, name))
    return problems


# Settings are plain data and files: they may read the data half of core (presets, the
# request's option lists, header rules, limits) but nothing that talks to a network, a
# keyring or a database; settings_import_closure_problems checks that transitively.
SETTINGS_MAY_IMPORT = (
    "desktopchat.settings", "desktopchat.core", "desktopchat.safe_json", "desktopchat.errors",
    "desktopchat.regular_files",  # opening a file without blocking on a FIFO: a stdlib leaf
)  # fmt: skip
IO_LIBRARIES = ("httpx", "httpx_sse", "keyring", "secretstorage", "sqlite3", "socket", "ssl")
# Secrets and paths sit just above errors: anything could use them; they use nothing of
# ours but errors (and secrets the one redaction module, for keyring error texts, and the
# choice of keyring backend, the no-keyring check with its messages and the keyring-free
# Secret Service read with the entry names, themselves leaves).
LEAVES = {
    "desktopchat.secrets": (
        "desktopchat.errors", "desktopchat.redact", "desktopchat.keyring_choice",
        "desktopchat.keyring_absent", "desktopchat.secret_service_read"),
    "desktopchat.keyring_choice": (),
    "desktopchat.keyring_absent": (),
    "desktopchat.secret_service_read": ("desktopchat.keyring_absent",),
    "desktopchat.paths": (),
    "desktopchat.safe_json": (),
    "desktopchat.regular_files": (),
}


def leaf_rule_problems(me: str, name: str) -> list[str]:
    problems: list[str] = []
    if name == "desktopchat":  # `from .. import x`: x is checked on its own
        return problems
    if under(me, "desktopchat.settings"):
        if under(name, "desktopchat") and not any(under(name, ok) for ok in SETTINGS_MAY_IMPORT):
            problems.append(f"{me} imports {name}; settings are data (no I/O, no secrets)")
        if any(under(name, lib) for lib in IO_LIBRARIES):
            problems.append(f"{me} imports {name}; settings do no network, keyring or SQL")
    if me in LEAVES and under(name, "desktopchat") and not any(
        under(name, ok) for ok in LEAVES[me]
    ):
        problems.append(f"{me} imports {name}; it may import only {LEAVES[me] or 'the stdlib'}")
    if me == "desktopchat.profile_requests" and any(under(name, lib) for lib in IO_LIBRARIES):
        problems.append(f"{me} imports {name}; mapping a profile to a request does no I/O")
    return problems


@pytest.mark.parametrize("path", all_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_dependency_arrows(path: Path) -> None:
    assert wrong_arrows(path) == []


def test_the_checker_catches_a_wrong_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_package = tmp_path / "desktopchat"
    (fake_package / "core").mkdir(parents=True)
    bad = fake_package / "core" / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nfrom ..storage import store\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake_package)
    problems = wrong_arrows(bad)
    assert any("imports Qt" in p for p in problems)
    assert any("core must not know storage" in p for p in problems)


def test_the_checker_keeps_qt_and_the_window_out_of_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_package = tmp_path / "desktopchat"
    (fake_package / "cli").mkdir(parents=True)
    (fake_package / "storage").mkdir()
    cli = fake_package / "cli" / "ask.py"
    cli.write_text(
        "def run():\n    import qasync\n    from desktopchat.app import run\n"
        "    from desktopchat.ui.controller import ChatController\n"
    )
    below = fake_package / "storage" / "store.py"
    below.write_text("from desktopchat.cli import main\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake_package)
    problems = wrong_arrows(cli)
    assert any("imports Qt (qasync)" in p for p in problems)
    assert any("never builds the window" in p for p in problems)
    assert any("only app.py may import ui" in p for p in problems)
    assert any("only __main__ dispatches" in p for p in wrong_arrows(below))


def test_the_checker_holds_settings_secrets_and_paths_to_their_rules() -> None:
    assert leaf_rule_problems("desktopchat.settings.model", "httpx")
    assert leaf_rule_problems("desktopchat.settings.store", "desktopchat.secrets")
    assert not leaf_rule_problems("desktopchat.settings.model", "desktopchat.core.providers")
    assert leaf_rule_problems("desktopchat.secrets", "desktopchat.settings")
    assert leaf_rule_problems("desktopchat.paths", "desktopchat.errors")
    assert not leaf_rule_problems("desktopchat.secrets", "desktopchat.errors")


def module_path(name: str) -> Path | None:
    """The file of a desktopchat module (or of the module an imported name lives in)."""
    parts = name.split(".")
    while parts and parts[0] == "desktopchat":
        base = PACKAGE.parent.joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        parts = parts[:-1]
    return None


def import_closure(path: Path) -> set[str]:
    """Every name a module imports, directly or through the desktopchat modules it imports."""
    seen: set[Path] = set()
    names: set[str] = set()
    todo = [path]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imported_modules(current):
            names.add(name)
            found = module_path(name)
            if found is not None and found not in seen:
                todo.append(found)
    return names


@pytest.mark.parametrize(
    "path",
    [
        *sorted((PACKAGE / "settings").glob("*.py")),
        *(PACKAGE / name for name in ("profile_requests.py", "safe_json.py", "paths.py")),
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_settings_do_no_io_even_through_what_they_import(path: Path) -> None:
    """Settings and the profile-to-request mapping are data: nothing they reach, however
    indirectly, imports a network, keyring or database library, Qt, or the stores."""
    reached = import_closure(path)
    forbidden = IO_LIBRARIES + QT_MODULES + (
        "desktopchat.secrets", "desktopchat.storage", "desktopchat.ui", "desktopchat.app",
    )
    assert sorted(n for n in reached if any(under(n, bad) for bad in forbidden)) == []


def test_the_closure_sees_through_an_import() -> None:
    # local_servers imports nothing forbidden itself, but core.discovery reaches httpx.
    assert any(under(name, "httpx") for name in import_closure(PACKAGE / "local_servers.py"))
