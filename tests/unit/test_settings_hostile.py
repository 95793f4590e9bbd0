"""Hand-edited or hostile settings files: each class is an invalid file or an invalid field.

Python's json turns deep nesting into RecursionError, >4,300-digit integers into ValueError,
and float(10**400) raises OverflowError. None of these may escape SettingsStore.load: the
file is copied aside and the message says what was wrong (see also test_settings_fuzz.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat import safe_json
from desktopchat.settings import (
    SettingsStore,
    WindowStateStore,
    first_run_settings,
    parse_tools,
    validate_settings,
)

# Unusable settings files are what these tests write; loading one logs a warning.
pytestmark = pytest.mark.expected_log(
    r"desktopchat\.settings\.store: "
    r"(settings file (partly )?unusable|could not back up)"
)


def profile(**fields: object) -> dict[str, object]:
    return {"name": "Mine", "preset": "ollama", **fields}


def file_text(*profiles: dict[str, object]) -> str:
    return json.dumps({"version": 2, "profiles": list(profiles), "preferences": {}})


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json")


def load_saved(store: SettingsStore, text: str):  # type: ignore[no-untyped-def]
    store.path.write_text(text, encoding="utf-8")
    result = store.load()
    assert validate_settings(result.settings) == {}
    store.save(result.settings)  # what came back also saves (and encodes) cleanly
    return result


# -- the whole file is unusable: copied aside, defaults loaded --------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
        ('{"version": 2, "profiles": ' + "[" * 70 + "]" * 70 + "}", "nested more than 64"),
        ('{"version": 2, "x": ' + "9" * 5000 + "}", "more than 4000 digits"),
        ('{"version": ' + "9" * 4400 + "}", "more than 4000 digits"),
        ('{"version": 2, "profiles": [{"name": "a\\ud800b"}]}', "lone surrogate"),
    ],
    ids=["deep-array", "deep-profiles", "huge-int", "huge-version", "lone-surrogate"],
)
def test_unusable_file_is_copied_aside_with_a_message(
    store: SettingsStore, text: str, words: str
) -> None:
    result = load_saved(store, text)
    assert result.settings == first_run_settings()
    assert result.problem is not None and words in result.problem
    assert "default settings are loaded" in result.problem
    assert result.backup_path is not None
    assert result.backup_path.read_text(encoding="utf-8") == text


# -- one field is unusable: that profile is left out and named, the rest kept -----------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("temperature", 10**400, "Temperature must be a number from 0 to 2"),
        ("temperature", -(10**400), "Temperature must be a number from 0 to 2"),
        ("idle_timeout", 10**400, "idle timeout must be 5 to 3600"),
        ("idle_timeout", 1e400, "idle timeout must be 5 to 3600"),  # json reads it as inf
        ("web_search", {"max_results": 10**400}, "whole number from"),
    ],
)
def test_out_of_range_number_is_an_invalid_field(
    store: SettingsStore, field: str, value: object, words: str
) -> None:
    good = profile(name="Good")
    text = file_text(good, profile(name="Odd", **{field: value}))
    result = load_saved(store, text)
    assert [p.name for p in result.settings.profiles] == ["Good"]
    assert result.problem is not None and "'Odd'" in result.problem and words in result.problem
    assert result.backup_path is not None and result.backup_path.read_text() == text


def test_huge_font_size_is_reset_to_default(store: SettingsStore) -> None:
    prefs = {"font_size": 10**400}
    text = json.dumps({"version": 2, "profiles": [profile()], "preferences": prefs})
    result = load_saved(store, text)
    assert result.settings.preferences.font_size == 11
    assert result.problem is not None and "font_size reset to the default" in result.problem


def test_tools_nested_as_deep_as_allowed_still_load_and_save(store: SettingsStore) -> None:
    schema: dict[str, object] = {}
    for _ in range(28):  # 56 levels here, 62 in the file: within the 64 allowed
        schema = {"type": "object", "properties": {"x": schema}}
    tool = {"type": "function", "function": {"name": "deep", "parameters": schema}}
    result = load_saved(store, file_text(profile(tools=[tool])))
    assert result.problem is None
    assert result.settings.profiles[0].tools == [tool]


# -- the other JSON readers of settings -------------------------------------------------------


def test_window_state_with_hostile_json_is_just_default_geometry(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    for text in ("[" * 100_000, '{"state": {"a": ' + "1" * 5000 + "}}", '{"state": {"a": 1e999}}'):
        path.write_text(text)
        state = WindowStateStore(path).load()
        assert state in ({}, {"a": float("inf")})


def test_tools_typed_in_the_dialog_with_deep_nesting_get_a_message() -> None:
    tools, problem = parse_tools("[" * 50_000 + "]" * 50_000)
    assert tools == [] and problem is not None and "nested more than 64 levels" in problem


# -- the loader itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["[" * 10**5, "9" * 4301, '"\\udc00"', '{"\\ud800": 1}', "\xff", "[1,]", "NaN x"],
)
def test_safe_json_raises_only_its_own_error(text: str) -> None:
    with pytest.raises(safe_json.UnsafeJSONError):
        safe_json.loads(text)


def test_safe_json_keeps_ordinary_values() -> None:
    assert safe_json.loads('{"a": [1, 2.5, "\\u00e9\\ud83d\\ude00", null]}') == {
        "a": [1, 2.5, "é😀", None]
    }
    assert safe_json.loads(b"1e400") == float("inf")  # judged by the field's range check
    assert safe_json.loads("-" + "9" * 4000) == -int("9" * 4000)
