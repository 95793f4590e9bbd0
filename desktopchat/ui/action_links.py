"""The app's own `dc:` links inside a message (a code block's Wrap and Copy): they look like
the other message actions, not like the web links of a reply, and say what they do.

A web link in a reply is underlined in the link colour; an action is a quiet word in the
theme's accent colour with no underline, the pointing hand over it, and a tooltip (issue 17:
they read as hyperlinks).
"""

from __future__ import annotations

from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme


def action_style(theme: Theme) -> str:
    """The inline style of an action link (QTextDocument honours color and text-decoration)."""
    return f"color: {theme.link}; text-decoration: none; font-weight: 600"


def action_tooltip(anchor: str) -> str:
    """What an action link does, for its tooltip; "" for anything else."""
    scheme, _, action = anchor.partition(":")
    if scheme != "dc":
        return ""
    name = action.partition("/")[0]
    if name == "copy-code":
        return translate("ActionLinks", "Copy this code block")
    if name == "wrap-code":
        return translate("ActionLinks", "Wrap or unwrap this block's long lines")
    return ""
