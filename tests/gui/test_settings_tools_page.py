"""Settings → Tools against a real MCP server process and a real keyring backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
from desktopchat.tools import ToolHost
from desktopchat.ui.mcp_server_form import STDIO_WARNING
from desktopchat.ui.settings_dialog import SettingsDialog
from desktopchat.ui.settings_tools_page import ToolsContext
from tests.support.tool_servers import stdio_spec


@pytest.fixture
def host() -> Iterator[ToolHost]:
    tool_host = ToolHost(connect_timeout=60.0)
    yield tool_host
    tool_host.shutdown()


@pytest.fixture
def dialog(qtbot, tmp_path: Path, secret_store: SecretStore, host: ToolHost) -> SettingsDialog:
    settings = Settings(profiles=[Profile("local", preset="openai", model="m"),
                                  Profile("other", preset="openai", model="m")],
                        preferences=Preferences(active_profile="local"))
    tools = ToolsContext(
        ToolSettings(servers=(stdio_spec("testtools"),),
                     always_allowed=frozenset({("testtools", "add"), ("testtools", "echo")})),
        ToolSettingsStore(tmp_path / "tools.json"), host,
    )
    dialog = SettingsDialog(settings, SettingsStore(tmp_path / "settings.json"), secret_store,
                            tools=tools)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.tools_page)
    return dialog


def test_test_button_starts_the_server_and_lists_its_tools(qasync_loop, dialog) -> None:
    page = dialog.tools_page
    assert page.warning.text() == STDIO_WARNING and page.warning.isVisibleTo(page)
    assert "Not started" in page.status.text()
    page.test_button.click()
    qasync_loop.run(dialog.last_task)
    assert page.status.text().startswith("Connected · 7 tools: add, echo, slow")


def test_a_pasted_block_adds_servers_and_secret_headers_go_to_the_keyring(
    qasync_loop, dialog, tmp_path: Path, secret_store: SecretStore
) -> None:
    page = dialog.tools_page
    message = page.import_text(json.dumps({"mcpServers": {
        "remote": {"url": "https://mcp.example.com/mcp",
                   "headers": {"Authorization": "Bearer pasted-secret-987654", "X-Team": "b"}},
        "testtools": {"command": "other"},
        "broken": {"command": 7},
    }}))
    assert message.startswith("Added remote, testtools.") and "'broken'" in message
    names = [page.server_list.item(i).text() for i in range(page.server_list.count())]
    assert names == ["testtools", "remote", "testtools 2"]
    page.server_list.setCurrentRow(1)
    assert page.form.url.isVisibleTo(page) and not page.form.command.isVisibleTo(page)
    assert not page.warning.isVisibleTo(page)
    dialog.accept()
    stored = json.loads((tmp_path / "tools.json").read_text())
    assert [s["name"] for s in stored["servers"]] == ["testtools", "remote", "testtools 2"]
    assert "pasted-secret" not in (tmp_path / "tools.json").read_text()
    assert stored["servers"][1]["secret_headers"] == ["Authorization"]
    assert secret_store.get_mcp_header("remote", "Authorization") == "Bearer pasted-secret-987654"


def test_revoking_always_allow_and_disabling_a_server_is_saved(
    qasync_loop, dialog, tmp_path: Path
) -> None:
    page = dialog.tools_page
    assert [page.always_list.item(i).text() for i in range(page.always_list.count())] == [
        "add (testtools)", "echo (testtools)"]
    page.always_list.setCurrentRow(0)
    page.revoke_button.click()
    page.server_list.item(0).setCheckState(page.server_list.item(0).checkState().Unchecked)
    page.step_limit.setValue(3)
    with qasync_loop_saved(dialog) as saved:
        dialog.accept()
    settings = saved[0]
    assert settings.always_allowed == frozenset({("testtools", "echo")})
    assert settings.servers[0].enabled is False and settings.step_limit == 3
    assert ToolSettingsStore(tmp_path / "tools.json").load().settings == settings


def test_a_bad_server_keeps_its_row_and_blocks_save_with_its_reason(
    qasync_loop, dialog, tmp_path: Path
) -> None:
    page = dialog.tools_page
    page.import_text(json.dumps({"web": {"url": "https://h/mcp"}}))
    page.form.url.setText("ftp://nowhere")
    page.server_list.setCurrentRow(0)
    assert page.server_list.currentRow() == 1 and page.form.url.text() == "ftp://nowhere"
    assert "needs an http:// or https:// URL" in page.problem.text()
    dialog.accept()
    assert "needs an http:// or https:// URL" in dialog.summary.text()
    assert not (tmp_path / "tools.json").exists()
    page.form.url.setText("https://h/other")
    dialog.accept()
    saved = ToolSettingsStore(tmp_path / "tools.json").load().settings
    assert saved.server("web") is not None and saved.server("web").url == "https://h/other"


class qasync_loop_saved:
    """Collects what `tool_settings_saved` emits while the block runs."""

    def __init__(self, dialog: SettingsDialog) -> None:
        self.dialog = dialog
        self.saved: list[ToolSettings] = []

    def __enter__(self) -> list[ToolSettings]:
        self.dialog.tool_settings_saved.connect(self.saved.append)
        return self.saved

    def __exit__(self, *exc: object) -> None:
        self.dialog.tool_settings_saved.disconnect(self.saved.append)


def test_choosing_which_tools_a_profile_offers(qasync_loop, dialog, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    page = dialog.tools_page
    page.test_button.click()  # the server's tools become known
    qasync_loop.run(dialog.last_task)
    offers = page.offers
    offers.profile.setCurrentText("other")
    server = offers.tree.topLevelItem(0)
    assert server.text(0) == "testtools" and server.checkState(0) == Qt.CheckState.Checked
    tools = [server.child(n) for n in range(server.childCount())]
    assert [t.text(0) for t in tools][:3] == ["add", "echo", "slow"]
    for tool in tools[1:]:
        tool.setCheckState(0, Qt.CheckState.Unchecked)
    assert server.checkState(0) == Qt.CheckState.PartiallyChecked
    dialog.accept()
    saved = ToolSettingsStore(tmp_path / "tools.json").load().settings
    assert saved.profile_offers == {"other": ("testtools/add",)}
    assert saved.offers_tool("other", "testtools", "add")
    assert not saved.offers_tool("other", "testtools", "echo")
    assert saved.offers_tool("local", "testtools", "echo")  # no choice: everything
