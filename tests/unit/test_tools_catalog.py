"""Tools offered as OpenAI functions, and tool results made safe."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from desktopchat.tools import ToolCatalog, ToolInfo, refusal
from desktopchat.tools.results import TEXT_MAX_CHARS, ToolOutcome, capped, outcome_from_content


def test_function_names_are_valid_unique_and_map_back_to_their_server() -> None:
    catalog = ToolCatalog([
        ToolInfo("files", "search", "Search files", {"type": "object", "properties": {}}),
        ToolInfo("web", "search", "Search the web"),
        ToolInfo("web", "fetch page!", "Fetch"),
        ToolInfo("web", "x" * 80),
    ])
    names = [o.function_name for o in catalog.offered()]
    assert names[0] == "search" and names[1] == "web_search" and names[2] == "web_fetch_page"
    assert len(set(names)) == 4 and all(len(n) <= 64 for n in names)
    assert catalog.find("web_search") == ToolInfo("web", "search", "Search the web")
    assert catalog.find("nope") is None
    first = catalog.as_openai()[0]
    assert first == {"type": "function", "function": {
        "name": "search", "description": "Search files",
        "parameters": {"type": "object", "properties": {}}}}


def test_an_unusable_or_huge_schema_is_offered_as_an_empty_object() -> None:
    huge = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(3000)}}
    catalog = ToolCatalog([ToolInfo("s", "a", "", huge), ToolInfo("s", "b", "", {"type": "array"})])
    for entry in catalog.as_openai():
        assert entry["function"]["parameters"] == {"type": "object", "properties": {}}


@dataclass
class Text:
    text: str
    type: str = "text"


@dataclass
class Image:
    data: str
    mime_type: str
    type: str = "image"


@dataclass
class Link:
    uri: str
    type: str = "resource_link"


def test_results_keep_text_and_valid_images_and_say_what_was_left_out() -> None:
    png = base64.b64encode(b"\x89PNG fake").decode()
    outcome = outcome_from_content([
        Text("hello"), Image(png, "image/png"), Image(png, "image/svg+xml"),
        Image("%%%not base64", "image/png"), Link("https://evil.example/x"),
    ], is_error=False)
    assert outcome.text == "hello\n[link to https://evil.example/x; not opened]"
    assert [i.data for i in outcome.images] == [b"\x89PNG fake"]
    assert any("image/svg+xml" in n for n in outcome.notes)
    assert any("base64" in n for n in outcome.notes)
    sent = outcome.for_model()
    assert "hello" in sent and "[image: image/png, 9 bytes]" in sent


def test_a_long_result_is_cut_with_a_visible_note() -> None:
    outcome = capped(ToolOutcome("y" * (TEXT_MAX_CHARS + 10)))
    assert len(outcome.text) == TEXT_MAX_CHARS
    assert f"result cut at {TEXT_MAX_CHARS:,}" in outcome.for_model()


def test_a_refusal_tells_the_model_the_user_said_no() -> None:
    assert refusal("get_weather").for_model() == (
        "Error: The user denied running the tool 'get_weather'.")
