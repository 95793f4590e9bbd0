"""The shared SSE conformance corpus (../shared/conformance/sse).

Found via DESKTOPCHAT_SSE_CORPUS or ../shared/conformance/sse next to the repository.
Absent (a user's fresh clone) its tests skip with a reason; with
DESKTOPCHAT_REQUIRE_CORPUS=1 (set by .ci/run) absence fails them instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ABSENT = "<corpus absent>"


def corpus_dir() -> Path | None:
    env = os.environ.get("DESKTOPCHAT_SSE_CORPUS", "").strip()
    candidate = Path(env) if env else REPO.parent / "shared" / "conformance" / "sse"
    return candidate if candidate.is_dir() and any(candidate.glob("*.sse")) else None


def case_names() -> list[str]:
    """Case names for parametrisation; one placeholder when the corpus is absent."""
    found = corpus_dir()
    if found is None:
        return [ABSENT]
    return sorted(p.stem for p in found.glob("*.sse") if p.with_suffix(".json").is_file())


@dataclass(frozen=True)
class CorpusCase:
    name: str
    body: bytes
    status: int
    headers: dict[str, str | None]
    expect: dict[str, Any]


def load_case(directory: Path, name: str) -> CorpusCase:
    meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    return CorpusCase(
        name=name,
        body=(directory / f"{name}.sse").read_bytes(),
        status=int(meta.get("status") or 200),
        headers=dict(meta.get("headers") or {}),
        expect=meta["expect"],
    )


@pytest.fixture
def sse_corpus() -> Path:
    found = corpus_dir()
    if found is None:
        where = os.environ.get("DESKTOPCHAT_SSE_CORPUS") or "../shared/conformance/sse"
        reason = f"SSE conformance corpus not found at {where} (set DESKTOPCHAT_SSE_CORPUS)"
        if os.environ.get("DESKTOPCHAT_REQUIRE_CORPUS") == "1":
            pytest.fail(reason + " and DESKTOPCHAT_REQUIRE_CORPUS=1")
        pytest.skip(reason)
    return found
