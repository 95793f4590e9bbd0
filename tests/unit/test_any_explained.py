"""`Any` switches the type checker off for a value; desktopchat uses it only where a library's
types leave no better choice, and says so on the same line (issue #11). This test reads every
module and fails on an `Any` without a comment on its line."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktopchat"


def _names_any(text: str) -> bool:
    """Whether a string is a type expression naming Any (a quoted annotation)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return False  # prose ("Any time", "Any other image"), not a type
    return any(isinstance(node, ast.Name) and node.id == "Any" for node in ast.walk(tree))


def _text(literal: str) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return ""  # an f-string: never an annotation
    return value if isinstance(value, str) else ""


def unexplained_any(source: str) -> list[int]:
    """Line numbers that use `Any` (a name, `typing.Any`, or inside a quoted annotation)
    with no comment on that line. Imports of Any are not uses."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    commented = {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}
    imports = {line for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.ImportFrom | ast.Import)
               for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    lines: set[int] = set()
    for tok in tokens:
        uses = (tok.type == tokenize.NAME and tok.string == "Any") or (
            tok.type == tokenize.STRING and "Any" in tok.string and _names_any(_text(tok.string)))
        if not uses:
            continue
        # A use spanning lines (a string) counts on every line it covers.
        covered = range(tok.start[0], tok.end[0] + 1)
        if any(line in imports for line in covered):
            continue
        if not any(line in commented for line in covered):
            lines.add(tok.start[0])
    return sorted(lines)


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_any_says_why(path: Path) -> None:
    lines = unexplained_any(path.read_text(encoding="utf-8"))
    assert lines == [], (
        f"{path.relative_to(PACKAGE.parent)} uses Any without a comment on line(s) {lines}: "
        "use the real type (a Protocol, a TypedDict, object and isinstance), or say on that "
        "line which library's types make Any necessary"
    )


def test_the_check_finds_an_unexplained_any() -> None:
    source = (
        "from typing import Any\n"
        "import typing\n"
        "def a(x: Any) -> None: ...\n"  # 3: flagged
        "def b(x: Any) -> None: ...  # Any: the stub types this wrongly\n"
        "def c(x: 'list[Any]') -> None: ...\n"  # 5: flagged (quoted annotation)
        "def d(x: typing.Any) -> None: ...\n"  # 6: flagged
        "TEXT = 'Any time'\n"  # prose in a string: not a use
        "# Any comment mentioning Any\n"
    )
    assert unexplained_any(source) == [3, 5, 6]
