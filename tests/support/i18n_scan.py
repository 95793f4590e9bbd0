"""Static checks of the UI's strings, by reading the code (ast), not running it.

- `translate_calls`: every `translate("Context", "text")` in the UI, as pyside6-lupdate
  extracts them (both arguments literals; adjacent literals are joined, as lupdate does), and
  every `QT_TRANSLATE_NOOP("Context", "text")` (marked for lupdate, looked up when shown).
- `bypasses`: string literals and f-strings handed straight to a Qt text API (setText,
  QLabel(...), addAction, QMessageBox.warning, ...) or to the project's own helpers that
  put text on screen, i.e. text that never went through translate(); also a module-level
  text constant (or a dict of them) handed to one.
- `prose_literals`: every English phrase in the UI's code outside translate(), log lines and
  docstrings, wherever it goes (returned, raised, emitted, stored, built into HTML); the
  test keeps a short allow-list of the ones that are not UI text, each with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "desktopchat" / "ui"


def ui_sources() -> list[Path]:
    """The files lupdate reads (scripts/update_translations.py passes the same list)."""
    return [*sorted(UI_DIR.rglob("*.py")), ROOT / "desktopchat" / "app.py"]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text}"


def _calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Call):
            yield node


def translate_calls(paths: list[Path] | None = None) -> tuple[set[tuple[str, str]], list[Found]]:
    """(context, source) pairs of every translate call, and calls lupdate cannot read."""
    pairs: set[tuple[str, str]] = set()
    unreadable: list[Found] = []
    for path in paths if paths is not None else ui_sources():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        in_fstrings = {id(node) for fstring in ast.walk(tree) if isinstance(fstring, ast.JoinedStr)
                       for node in ast.walk(fstring)}
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            if _name(call.func) not in ("translate", "QT_TRANSLATE_NOOP") or isinstance(
                    call.func, ast.Attribute):
                continue  # painter.translate(x, y) and str.translate are not ours
            if id(call) in in_fstrings:  # lupdate does not look inside f-strings
                unreadable.append(Found(path, call.lineno, ast.unparse(call) + " in an f-string"))
                continue
            args = call.args[:2]
            if len(args) == 2 and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                context, text = (str(a.value) for a in args if isinstance(a, ast.Constant))
                pairs.add((context, text))
            else:
                unreadable.append(Found(path, call.lineno, ast.unparse(call)))
    return pairs, unreadable


# Qt methods whose string arguments are shown to the user.
TEXT_METHODS = frozenset({
    "setText", "setPlaceholderText", "setToolTip", "setWindowTitle", "setStatusTip",
    "setWhatsThis", "showMessage", "setItemText", "addItem", "insertItem", "addItems",
    "setTabText", "setTabToolTip", "addTab", "insertTab", "addAction", "addMenu", "setTitle",
    "setLabelText", "setAccessibleName", "setAccessibleDescription", "setHeaderLabels",
    "setHorizontalHeaderLabels", "setPrefix", "setSuffix", "setSpecialValueText", "addRow",
    "setInformativeText", "setDetailedText", "setButtonText", "addButton", "setIconText",
    "setOkButtonText", "setCancelButtonText", "setTextValue", "setWindowIconText",
    "information", "warning", "critical", "question", "about", "getText", "getItem",
    "getInt", "getDouble", "getOpenFileName", "getOpenFileNames", "getSaveFileName",
    "getExistingDirectory", "insertSeparator", "setDisplayFormat", "getMultiLineText",
    # the project's own helpers that put their text arguments on screen
    "message_box", "show_hint", "show_status", "show_notice", "_box", "_status", "_row",
    "new_label",
})
# Widgets whose constructor takes the text they show.
TEXT_CONSTRUCTORS = frozenset({
    "QLabel", "QPushButton", "QToolButton", "QAction", "QCheckBox", "QRadioButton",
    "QGroupBox", "QMenu", "QMessageBox", "QCommandLinkButton", "QDialogButtonBox",
    "QProgressDialog", "QInputDialog", "QWidgetAction", "QToolBar", "QDockWidget",
})
# Item methods that take (text, data): only the text is checked.
_TEXT_THEN_DATA = {"addItem": 0, "insertItem": 1}
# Calls where only some arguments are text: the others are ids or data.
_TEXT_POSITIONS = {"show_hint": (0,), "_row": (0,), "new_label": (0,)}
# QMessageBox's static methods; on anything else (log.warning) these names are not UI text.
_BOX_STATICS = frozenset({"information", "warning", "critical", "question", "about"})


def _stringy(node: ast.expr, allowed: frozenset[str] = frozenset()) -> bool:
    """A literal string, an f-string, or text glued together from a literal."""
    if isinstance(node, ast.Constant):  # blank text (a "\n\n" between parts) says nothing
        return (isinstance(node.value, str) and node.value.strip() != ""
                and node.value not in allowed)
    if isinstance(node, ast.JoinedStr):  # f"{name} · {size}" has no words of its own
        return any(isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value))
                   for part in node.values)
    if isinstance(node, ast.IfExp):
        return _stringy(node.body, allowed) or _stringy(node.orelse, allowed)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _stringy(node.left, allowed) or _stringy(node.right, allowed)
    if isinstance(node, ast.Call) and _name(node.func) in ("format", "join"):
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        return owner is not None and _stringy(owner, allowed)
    return False


def _text_args(call: ast.Call) -> list[ast.expr]:
    name = _name(call.func)
    if name in _BOX_STATICS:
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        if not (isinstance(owner, ast.Name) and owner.id == "QMessageBox"):
            return []
    if name in _TEXT_POSITIONS:
        return [call.args[i] for i in _TEXT_POSITIONS[name] if i < len(call.args)]
    if name in _TEXT_THEN_DATA:
        index = _TEXT_THEN_DATA[name]
        positional = call.args[index:index + 2]
        # addItem(icon, text, data) puts the text after the icon.
        if len(positional) == 2 and "icon" in ast.unparse(positional[0]).lower():
            positional = positional[1:]
        return positional[:1] + [kw.value for kw in call.keywords if kw.arg == "text"]
    return [*call.args, *(kw.value for kw in call.keywords)]


def _module_texts(tree: ast.Module, allowed: frozenset[str]) -> dict[str, ast.expr]:
    """Module-level names bound to text (`WARNING = "..."`) or to a dict or tuple of texts
    (`CAPTIONS = {Format.MD: "Export as Markdown"}`): handing one to a text API is a bypass."""
    texts: dict[str, ast.expr] = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if not isinstance(target, ast.Name) or value is None:
            continue
        items = (value.values if isinstance(value, ast.Dict)
                 else value.elts if isinstance(value, ast.Tuple | ast.List) else [value])
        if any(item is not None and _stringy(item, allowed) for item in items):
            texts[target.id] = value
    return texts


def _constant_text(node: ast.expr, texts: dict[str, ast.expr]) -> bool:
    """`NAME` or `NAME[key]` where NAME is one of the module's text constants."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Name) and node.id in texts


def bypasses(paths: list[Path] | None = None,
             allowed: frozenset[str] = frozenset()) -> list[Found]:
    """Text handed to a text API without translate(): `allowed` lists non-language symbols."""
    found: list[Found] = []
    for path in paths if paths is not None else ui_sources():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        texts = _module_texts(tree, allowed)
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            name = _name(call.func)
            if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
                continue
            for arg in _text_args(call):
                if not (_stringy(arg, allowed) or _constant_text(arg, texts)):
                    continue
                found.append(Found(path, arg.lineno, f"{name}(... {ast.unparse(arg)} ...)"))
    return found


# ---- every piece of English prose in the UI's code ------------------------------------------

# Two words or more ("Tool result"), a capitalised word alone ("Chat"), or a label ("Attached:").
_PROSE = re.compile(r"[A-Za-z]{2,}[ \u00a0]+[A-Za-z]{2,}|^[A-Z][a-z]{2,}$|^[A-Z][a-z]+:")
_MARKUP = re.compile(r"<[^>]*>|&[a-z]+;|&#\d+;")
# Calls whose text arguments are not the UI's words: the catalogue's own calls, logs (for the
# developer), warnings filters, the command line's help (English like the CLI) and print()
# (stdout, read by scripts and --self-test).
# Type names in TypeVar("T") and cast("T", x) are code, too.
_NOT_UI_CALLS = frozenset({"translate", "QT_TRANSLATE_NOOP", "add_argument", "ArgumentParser",
                           "print", "simplefilter", "filterwarnings", "TypeVar", "cast"})
# A Qt style sheet ("QLabel { color: #333; }") is code, whatever words its selectors hold.
_STYLE_SHEET = re.compile(r"\{[^{}]*:[^{}]*;[^{}]*\}")
_LOGGERS = frozenset({"log", "logger", "logging"})


def _skipped_calls(call: ast.Call) -> bool:
    if _name(call.func) in _NOT_UI_CALLS:
        return True
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(owner, ast.Name) and owner.id in _LOGGERS


def _not_text(tree: ast.Module) -> set[int]:
    """Strings that are code, not text: docstrings, type annotations ("Profile"), keys in
    subscripts (options["maxNesting"]) and the names in __all__."""
    found: set[int] = set()

    def under(node: ast.AST | None) -> None:
        if node is not None:
            found.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            under(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            under(node.annotation)
        elif isinstance(node, ast.Subscript):
            under(node.slice)
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            under(node.value)
    return found


def _words(node: ast.Constant | ast.JoinedStr) -> str:
    """The literal text of a string or an f-string (… for each value), HTML tags removed;
    "" for a style sheet."""
    if isinstance(node, ast.Constant):
        text = str(node.value)
    else:
        text = "".join(str(part.value) if isinstance(part, ast.Constant) else "…"
                       for part in node.values)
    return "" if _STYLE_SHEET.search(text) else _MARKUP.sub(" ", text).strip()


def prose_literals(paths: list[Path] | None = None) -> list[Found]:
    """English words written in the UI's code outside translate(): each is text a user may
    see untranslated, unless it is a log line, a docstring, or on the caller's allow-list.
    Catches what the text-API scan cannot follow: text returned, stored in a constant or a
    dict, emitted by a signal, raised in an error, or built into HTML."""
    found: list[Found] = []
    for path in paths if paths is not None else ui_sources():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        skipped = _not_text(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _skipped_calls(node):
                skipped.update(id(inner) for inner in ast.walk(node))
            elif isinstance(node, ast.JoinedStr):  # its parts are not strings of their own
                skipped.update(id(inner) for inner in ast.walk(node) if inner is not node)
        for node in ast.walk(tree):
            if id(node) in skipped or not (
                    isinstance(node, ast.JoinedStr)
                    or (isinstance(node, ast.Constant) and isinstance(node.value, str))):
                continue
            if _PROSE.search(_words(node)):
                found.append(Found(path, node.lineno, _words(node)))
    return found


# ---- errors shown in their own (English) words -----------------------------------------------

_KEEPS_WORDS = frozenset({"shown_error", "headline", "print"})  # print: stdout, not the UI


def raw_error_texts(paths: list[Path] | None = None) -> list[Found]:
    """`exc.message` or `str(exc)` of a caught exception used in ui/ other than in a log line
    or through ui/error_text.shown_error (which adds a translated headline)."""
    found: list[Found] = []
    for path in paths if paths is not None else ui_sources():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        skipped: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (
                    _name(node.func) in _KEEPS_WORDS or _skipped_calls(node)):
                skipped.update(id(inner) for inner in ast.walk(node))
        for handler in (n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)):
            if handler.name is None:
                continue
            for node in (n for stmt in handler.body for n in ast.walk(stmt)):
                if id(node) in skipped:
                    continue
                raw = (isinstance(node, ast.Attribute) and node.attr == "message"
                       and isinstance(node.value, ast.Name) and node.value.id == handler.name)
                raw = raw or (isinstance(node, ast.Call) and _name(node.func) == "str"
                              and len(node.args) == 1 and isinstance(node.args[0], ast.Name)
                              and node.args[0].id == handler.name)
                if raw and isinstance(node, ast.expr):
                    found.append(Found(path, node.lineno, ast.unparse(node)))
    return found
