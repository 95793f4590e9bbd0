"""Issue 17, themes: every colour pair a theme draws text or a control with meets WCAG AA.

4.5:1 for text (body size), 3:1 for UI components (checkbox outlines, a checked box's fill,
its mark). The pairs are what the app really draws: the Theme the transcript paints with, the
QPalette the widgets use (sidebar, composer, dialogs, menus), and the code highlighter's
token colours on the code background.
"""

from __future__ import annotations

from typing import Any

import pytest
from pygments.styles import get_style_by_name
from PySide6.QtGui import QColor, QPalette

from desktopchat.ui.appearance import palette_for
from desktopchat.ui.message_marks import AVATAR_FILL, ROLE_TEXT
from desktopchat.ui.theme import DARK, LIGHT, Theme
from desktopchat.ui.transcript_paint import CURRENT_MATCH

TEXT, UI = 4.5, 3.0
Role, Group = QPalette.ColorRole, QPalette.ColorGroup


def luminance(color: str) -> float:
    c = QColor(color)
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF()))


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # just passes


def theme_pairs(t: Theme) -> list[tuple[str, str, str, float]]:
    pairs = []
    cards = {"transcript": t.background, "user card": t.user_card,
             "reply card": t.assistant_card, "search-hit card": t.highlight,
             "note": t.note_background}
    for where, bg in cards.items():
        pairs += [(f"text on {where}", t.text, bg, TEXT),
                  (f"muted text on {where}", t.muted, bg, TEXT),
                  (f"link on {where}", t.link, bg, TEXT)]
    for where, bg in {"sidebar/composer": t.base, "window": t.window}.items():
        pairs += [(f"text on {where}", t.text, bg, TEXT),
                  (f"muted text on {where}", t.muted, bg, TEXT),
                  (f"link on {where}", t.link, bg, TEXT),
                  (f"disabled text on {where}", t.disabled_text, bg, TEXT),
                  (f"form error on {where}", t.error_label, bg, TEXT),
                  (f"checkbox outline on {where}", t.control_border, bg, UI),
                  (f"checked box on {where}", t.accent, bg, UI)]
    pairs += [("code", t.text, t.code_background, TEXT),
              ("muted code label", t.muted, t.code_background, TEXT),
              ("error banner", t.error_text, t.error_background, TEXT),
              ("selection", t.selection_text, t.selection_background, TEXT)]
    return pairs


def palette_pairs(palette: QPalette) -> list[tuple[str, str, str, float]]:
    def c(role: Any, group: Any = Group.Active) -> str:
        return str(palette.color(group, role).name())
    return [
        ("widget text on base (sidebar rows, composer)", c(Role.Text), c(Role.Base), TEXT),
        ("window text on window (labels, dialogs)", c(Role.WindowText), c(Role.Window), TEXT),
        ("button text on button", c(Role.ButtonText), c(Role.Button), TEXT),
        ("placeholder on base", c(Role.PlaceholderText), c(Role.Base), TEXT),
        ("selected row", c(Role.HighlightedText), c(Role.Highlight), TEXT),
        ("tooltip", c(Role.ToolTipText), c(Role.ToolTipBase), TEXT),
        ("link on base", c(Role.Link), c(Role.Base), TEXT),
        ("error label on window", c(Role.BrightText), c(Role.Window), TEXT),
        ("disabled text on base", c(Role.Text, Group.Disabled), c(Role.Base), TEXT),
        ("disabled label on window", c(Role.WindowText, Group.Disabled), c(Role.Window), TEXT),
        ("disabled button text", c(Role.ButtonText, Group.Disabled), c(Role.Button), TEXT),
        # What ContrastStyle draws checkboxes and radio buttons with.
        ("checkbox outline on window", c(Role.Mid), c(Role.Window), UI),
        ("checkbox outline on base", c(Role.Mid), c(Role.Base), UI),
        ("checked box on window", c(Role.Accent), c(Role.Window), UI),
        ("checked box on base", c(Role.Accent), c(Role.Base), UI),
        ("check mark on a checked box", c(Role.HighlightedText), c(Role.Accent), UI),
    ]


def code_pairs(t: Theme) -> list[tuple[str, str, str, float]]:
    """Token colours on the code background, and on a find match's fill (t.highlight)."""
    pairs = []
    for token, style in get_style_by_name(t.pygments_style):
        if style["color"] and "Whitespace" not in str(token):  # spaces draw nothing
            bg = f"#{style['bgcolor']}" if style["bgcolor"] else t.code_background
            pairs.append((f"code {token}", f"#{style['color']}", bg, TEXT))
            pairs.append((f"code {token} in a find match", f"#{style['color']}", t.highlight,
                          TEXT))
    return pairs


def mark_pairs(t: Theme) -> list[tuple[str, str, str, float]]:
    """Role names and avatars on the cards (message_marks), the find bar's current match."""
    pairs = [("current find match", CURRENT_MATCH[1], CURRENT_MATCH[0], TEXT)]
    for role, card in (("user", t.user_card), ("assistant", t.assistant_card)):
        pairs += [(f"{role} name on its card", ROLE_TEXT[t.name][role], card, TEXT),
                  (f"{role} name on a search-hit card", ROLE_TEXT[t.name][role], t.highlight,
                   TEXT),
                  (f"{role} avatar on its card", AVATAR_FILL[role], card, UI),
                  (f"{role} avatar's icon", "#ffffff", AVATAR_FILL[role], UI)]
    return pairs


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_every_text_and_control_colour_pair_meets_wcag_aa(theme: Theme, qapp: Any) -> None:
    pairs = (theme_pairs(theme) + palette_pairs(palette_for(theme)) + code_pairs(theme)
             + mark_pairs(theme))
    assert len(pairs) > 60
    failures = [f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1 (needs {need}:1)"
                for what, fg, bg, need in pairs if contrast(fg, bg) < need]
    assert failures == []
