"""Make docs/tools.png: a chat that used MCP tools, with a call waiting for approval.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_tools_screenshot.py [out.png]

Everything lives in a temporary basedir; no MCP server is started (the stored results and
the waiting card are made directly), and the keyring is a throwaway in-memory one.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402

SIZE = (1200, 760)


def call(call_id: str, name: str, arguments: str) -> dict[str, object]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "tools.png"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.storage.store import HistoryStore
    from desktopchat.tools import ToolCatalog, ToolInfo
    from desktopchat.tools.calls import plan_calls, requested_calls
    from desktopchat.ui.tool_approval import ToolCallCard

    with tempfile.TemporaryDirectory(prefix="desktopchat-shot-") as tmp:
        paths = app_paths(tmp).ensure()
        SettingsStore(paths.settings_file).save(first_run_settings())
        with HistoryStore.open(paths.database_file) as store:
            chat = store.create_conversation(title="Files in the project", profile="OpenAI",
                                             model="gpt-4o-mini")
            store.add_user_message(chat.id, "How many Python files are in the project, "
                                   "and what does the README say first?")
            asked = store.start_assistant_message(chat.id, profile="OpenAI", model="gpt-4o-mini")
            calls = [call("c0", "count_files", '{"pattern": "**/*.py"}'),
                     call("c1", "read_file", '{"path": "README.md", "lines": 1}')]
            store.finish_assistant_message(asked.id, state="complete", content="",
                                           tool_calls=calls, finish_reason="tool_calls")
            first = store.add_tool_result(chat.id, asked.id, call_id="c0", name="count_files",
                                          content="142", details={"decision": "run",
                                                                  "server": "files"})
            second = store.add_tool_result(
                chat.id, first.id, call_id="c1", name="read_file",
                content="# desktopchat", details={"decision": "auto", "server": "files"})
            answer = store.start_assistant_message(chat.id, parent_id=second.id,
                                                   profile="OpenAI", model="gpt-4o-mini")
            store.finish_assistant_message(
                answer.id, state="complete", finish_reason="tool_calls",
                content="There are **142** Python files. The README starts with the title "
                        "*desktopchat*. Shall I list the largest ones?",
                tool_calls=[call("c2", "largest_files", '{"count": 5, "pattern": "**/*.py"}')])
        secrets = SecretStore(MemoryKeyring())
        built = build(paths, secrets=secrets, keep_window_state=False)
        window = built.window
        window.resize(*SIZE)
        window.show()
        window.open_conversation(chat.id)
        loop = asyncio.new_event_loop()
        catalog = ToolCatalog([ToolInfo("files", "largest_files", "The largest files")])
        plans = plan_calls(requested_calls([calls[0] | {"id": "c2", "function": {
            "name": "largest_files", "arguments": '{"count": 5, "pattern": "**/*.py"}'}}]),
            catalog)
        card = ToolCallCard(plans[0], loop.create_future(), window.tool_approval)
        window.tool_approval.layout().addWidget(card)
        window.tool_approval.show()
        for _ in range(10):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
        window.close()
        built.store.close()
        loop.close()
    print(f"wrote {out} ({SIZE[0]}x{SIZE[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
