"""Built-in endpoint presets: data, not code paths.

`include_usage` is True only where `stream_options.include_usage` is documented or known
to be accepted (OpenAI; Ollama, LM Studio and llama.cpp server implement it). Gateways
whose docs list their accepted fields (Bitseek) or do not mention it get False: some
answer an unknown field with HTTP 400.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    id: str
    label: str
    base_url: str
    chat_path: str
    models_path: str | None
    needs_key: bool
    needs_model: bool
    web_search: bool
    include_usage: bool
    default_model: str = ""
    # Whether user messages may carry images as content parts (DESIGN §3). Bitseek documents
    # string content only; gateways whose docs do not say get False; the rest speak OpenAI's
    # format (local servers pass images to a vision model, or answer with a readable 400).
    images: bool = True
    # Whether the endpoint takes OpenAI `tools` (an unknown field can be an HTTP 400).
    # ZeebeeAI's own streaming route documents no tools; the others pass them through.
    accepts_tools: bool = True

    def chat_url(self, base_url: str | None = None) -> str:
        return _join(base_url or self.base_url, self.chat_path)

    def models_url(self, base_url: str | None = None) -> str | None:
        if self.models_path is None:
            return None
        return _join(base_url or self.base_url, self.models_path)


def _join(base: str, path: str) -> str:
    base = base.strip().rstrip("/")
    if not path or base.endswith(path.rstrip("/")):
        return base  # the user pasted the full URL already
    return base + "/" + path.lstrip("/")


PRESETS: tuple[Preset, ...] = (
    Preset("bitseek", "Bitseek", "https://chat-proxy.bitseek.ai/v1", "/chat/completions",
           None, needs_key=True, needs_model=False, web_search=True, include_usage=False,
           images=False),
    Preset("zeebeeai", "ZeebeeAI", "https://api.zeebee.ai/v1", "/chat/completions/stream",
           None, needs_key=True, needs_model=True, web_search=False, include_usage=False,
           default_model="gpt-4-turbo", images=False,
           accepts_tools=False),
    Preset("tokenhub", "TokenHub", "https://ai-tokenhub.com/v1", "/chat/completions",
           "/models", needs_key=True, needs_model=True, web_search=False, include_usage=False,
           default_model="gpt-4o"),
    Preset("n1n", "n1n", "https://api.n1n.ai/v1", "/chat/completions", "/models",
           needs_key=True, needs_model=True, web_search=False, include_usage=False,
           default_model="gpt-3.5-turbo"),
    Preset("openai", "OpenAI", "https://api.openai.com/v1", "/chat/completions", "/models",
           needs_key=True, needs_model=True, web_search=False, include_usage=True,
           default_model="gpt-4o-mini"),
    Preset("ollama", "Ollama (local)", "http://127.0.0.1:11434/v1", "/chat/completions",
           "/models", needs_key=False, needs_model=True, web_search=False, include_usage=True),
    Preset("lmstudio", "LM Studio (local)", "http://127.0.0.1:1234/v1", "/chat/completions",
           "/models", needs_key=False, needs_model=True, web_search=False, include_usage=True),
    Preset("llamacpp", "llama.cpp server (local)", "http://127.0.0.1:8080/v1",
           "/chat/completions", "/models", needs_key=False, needs_model=False,
           web_search=False, include_usage=True),
    Preset("custom", "Custom (OpenAI-compatible)", "", "/chat/completions", "/models",
           needs_key=False, needs_model=False, web_search=False, include_usage=False,
           images=False),
)  # fmt: skip

_BY_ID = {p.id: p for p in PRESETS}


def preset(preset_id: str) -> Preset:
    """The preset with this id; an unknown id gets `custom`."""
    return _BY_ID.get(preset_id, _BY_ID["custom"])
