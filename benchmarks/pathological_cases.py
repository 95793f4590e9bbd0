"""The pathological replies of render_pathological.py, by name (issue #10 §4).

Each is built by a callable in the child process that measures it, so a 2 MB text is
never shipped between processes. Pure Python (no Qt): the text exists before Qt starts.
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from typing import Any

MB2 = 2 * 1024 * 1024


def _repeat_to(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def noise_png(seed: int, side: int = 320) -> bytes:
    """A noisy RGB PNG (it does not compress: it costs what a photo costs), in pure Python
    so the text is built before Qt starts."""
    rnd = random.Random(seed)
    raw = b"".join(b"\x00" + rnd.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1))
            + chunk(b"IEND", b""))


def data_image(seed: int, side: int = 320) -> str:
    return (f"![figure {seed}](data:image/png;base64,"
            f"{base64.b64encode(noise_png(seed, side)).decode()})")


def case_texts() -> dict[str, Any]:
    """Name -> callable building the reply text (built in the child, not shipped)."""

    def code_line() -> str:
        return "```python\n" + _repeat_to("total = total + value * 3; ", MB2) + "\n```\n"

    def code_python() -> str:
        lines = [f"def function_{i}(value):\n    return value * {i}  # scale it\n\n"
                 for i in range(MB2 // 48)]
        return "```python\n" + "".join(lines) + "```\n"

    def table(rows: int, cols: int) -> str:
        head = "| " + " | ".join(f"column {c}" for c in range(cols)) + " |\n"
        rule = "|" + "---|" * cols + "\n"
        body = "".join("| " + " | ".join(f"cell {r}.{c}" for c in range(cols)) + " |\n"
                       for r in range(rows))
        return "Here is the table:\n\n" + head + rule + body + "\nThat was the table.\n"

    def nested_list() -> str:
        block = "".join("  " * d + f"- level{d} item\n" for d in range(12))
        return "\n".join(block for _ in range(200)) + "\nafter the lists\n"

    def nested_quote() -> str:
        block = "".join("> " * (d + 1) + f"quote{d} words\n" for d in range(25))
        return "\n\n".join(block for _ in range(200)) + "\n\nafter the quotes\n"

    def math_heavy() -> str:
        # Distinct formulas (none cached), inline and display, between prose and money.
        block = ("The energy $E_{{{n}}} = \\frac{{n^2 h^2}}{{8 m L^2}}$ costs $5 and $10, "
                 "and \\(\\sqrt{{{n} + x^2}}\\) too:\n"
                 "$$\\int_0^{{{n}}} e^{{-x^2}}\\,dx = \\sum_{{k=0}}^{{{n}}} a_k$$\n"
                 "\\[\\begin{{pmatrix}} {n} & 1 \\\\ 0 & 1 \\end{{pmatrix}}\\]\n\n")
        return "".join(block.format(n=n) for n in range(150))

    def wide_code() -> str:
        # Lines of ~600 characters (under the chunker's line cut): the block scrolls sideways.
        lines = [f"row_{i} = [" + ", ".join(f"value_{i}_{j}" for j in range(50)) + "]\n"
                 for i in range(400)]
        return "Here is the data:\n\n```python\n" + "".join(lines) + "```\n\nThat was it.\n"

    def data_images() -> str:
        return "".join(f"Figure {n} shows the result:\n\n{data_image(n)}\n\nAs expected.\n\n"
                       for n in range(12))

    def over_cap_image() -> str:
        return ("Here is a very large image:\n\n" + data_image(99, 1700)
                + "\n\nThat is all.\n")

    def reference() -> str:
        from render_stream import token_stream
        return "".join(token_stream(4_000))

    return {
        "reference (ordinary reply)": reference,
        "2 MB one-line code block": code_line,
        "2 MB multi-line Python block": code_python,
        "100,000-row table": lambda: table(100_000, 3),
        "3,000-row table": lambda: table(3_000, 5),
        "*a x 50,000": lambda: "*a" * 50_000,
        "50,000 links": lambda: " ".join(f"[link {i}](https://example.com/{i})"
                                         for i in range(50_000)),
        "200,000 entities": lambda: _repeat_to("&amp;&lt;&#x41;&copy;", 200_000 * 5),
        "list nested 12 deep": nested_list,
        "quote nested 25 deep": nested_quote,
        "math-heavy (600 formulas)": math_heavy,
        "wide code block, 400x600": wide_code,
        "12 data images, 300 KB": data_images,
        "data image over the cap": over_cap_image,
    }
