"""SettingsStore.load never raises, whatever the file holds (hypothesis)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.settings import SettingsStore, validate_settings
from desktopchat.settings.store import settings_to_json

# Unusable settings files are what these tests write; loading one logs a warning.
pytestmark = pytest.mark.expected_log(
    r"desktopchat\.settings\.store: "
    r"(settings file (partly )?unusable|could not back up)"
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    "name", "preset", "url", "model", "temperature", "system_prompt", "web_search", "tools",
    "extra_headers", "idle_timeout", "proxy", "allow_insecure_http", "ask_for_usage",
]  # fmt: skip
profiles = st.lists(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6), max_size=4
)


def load_text(text: str | bytes) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        result = SettingsStore(path).load()
        # Whatever came back is itself valid and saves cleanly.
        assert validate_settings(result.settings) == {}
        SettingsStore(path).save(result.settings)
        return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=64))
def test_any_bytes(data: bytes) -> None:
    load_text(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json(value: Any) -> None:
    load_text(json.dumps(value))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([1, 2]), profiles, json_values)
def test_any_profiles(version: int, raw_profiles: list[Any], preferences: Any) -> None:
    key = "endpoints" if version == 1 else "profiles"
    result = load_text(
        json.dumps({"version": version, key: raw_profiles, "preferences": preferences})
    )
    # Nothing is dropped silently: every kept profile came from the file or defaults,
    # and when anything was left out the message says so.
    if result.problem is None and raw_profiles:
        assert len(settings_to_json(result.settings)["profiles"]) == len(raw_profiles)


# Fragments that Python's json turns into something other than JSONDecodeError, or that
# overflow later (float(10**400)), spliced in as the value of any field.
hostile_fragments = st.sampled_from([
    "1" + "0" * 400, "-1" + "0" * 400, "9" * 4301, "1e400", "-1e400", "NaN", "Infinity",
    "[" * 5000 + "]" * 5000, '{"a":' * 200 + "1" + "}" * 200, '"\\ud800"', '"\\udfff x"',
    "1" + "0" * 5000 + ".5", "1E-999999", '"' + "x" * 10_000 + '"',
])  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([1, 2]),
    st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3),
    hostile_fragments,
    st.sampled_from(["active_profile", "theme", "font_size", "enter_to_send", "version"]),
)
def test_hostile_numbers_and_nesting_anywhere(
    version: int, fields: list[str], fragment: str, preference: str
) -> None:
    key = "endpoints" if version == 1 else "profiles"
    values = ", ".join(f'"{name}": {fragment}' for name in fields)
    for text in (
        f'{{"version": {version}, "{key}": [{{"name": "A", {values}}}], "preferences": {{}}}}',
        f'{{"version": {version}, "{key}": [], "preferences": {{"{preference}": {fragment}}}}}',
        f'{{"version": {fragment}, "{key}": []}}',
    ):
        result = load_text(text)
        # Anything refused is explained and the file kept aside.
        if result.problem is not None:
            assert result.backup_path is not None
