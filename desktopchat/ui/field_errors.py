"""A settings field's problem in the UI's language.

settings/validation.py (shared with the CLI) writes one English message per field. The ones a
user commonly meets in the settings dialog, and that carry no values, are translated whole;
any other message keeps its English words (they may name a header, a JSON error, a limit)
after a translated headline that says which field is wrong, as ui/error_text.py does for
errors. In English every message is shown as validation wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "FieldErrors"

# validation's own sentences, translated whole (tests/gui/test_field_errors.py checks that
# validation still writes each of them). PySide types QT_TRANSLATE_NOOP's result as object.
WHOLE: frozenset[object] = frozenset({
    QT_TRANSLATE_NOOP("FieldErrors", "Give the profile a name."),
    QT_TRANSLATE_NOOP("FieldErrors", "Enter the endpoint URL, for example "
                      "https://api.example.com/v1/chat/completions."),
    QT_TRANSLATE_NOOP("FieldErrors", "The URL must not contain spaces or control characters."),
    QT_TRANSLATE_NOOP("FieldErrors", "The URL is not valid (check the host and port)."),
    QT_TRANSLATE_NOOP("FieldErrors", "The URL needs a host name, for example "
                      "https://api.example.com/v1."),
    QT_TRANSLATE_NOOP("FieldErrors", "Leave the password out of the URL; it is kept in the "
                      "keyring instead."),
    QT_TRANSLATE_NOOP("FieldErrors", "The model name must be plain text on one line."),
    QT_TRANSLATE_NOOP("FieldErrors", "Tools must be a JSON array of tool objects."),
    QT_TRANSLATE_NOOP("FieldErrors", "Authorization cannot be an extra header: enter the API "
                      "key in the key field, where it is kept in the keyring."),
})

# The first part of the field's path ("web_search.mode" -> "web_search") names the headline.
HEADLINES: dict[str, object] = {
    "name": QT_TRANSLATE_NOOP("FieldErrors", "Check the profile's name."),
    "preset": QT_TRANSLATE_NOOP("FieldErrors", "Check the provider."),
    "url": QT_TRANSLATE_NOOP("FieldErrors", "Check the URL."),
    "model": QT_TRANSLATE_NOOP("FieldErrors", "Check the model name."),
    "system_prompt": QT_TRANSLATE_NOOP("FieldErrors", "Check the system prompt."),
    "temperature": QT_TRANSLATE_NOOP("FieldErrors", "Check the temperature."),
    "web_search": QT_TRANSLATE_NOOP("FieldErrors", "Check the web search settings."),
    "tools": QT_TRANSLATE_NOOP("FieldErrors", "Check the tools (JSON)."),
    "extra_headers": QT_TRANSLATE_NOOP("FieldErrors", "Check the extra headers."),
    "proxy": QT_TRANSLATE_NOOP("FieldErrors", "Check the proxy settings."),
    "idle_timeout": QT_TRANSLATE_NOOP("FieldErrors", "Check the idle timeout."),
}
OTHER = QT_TRANSLATE_NOOP("FieldErrors", "Check this setting.")


def _tr(source: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(source))


def field_error(field: str, message: str) -> str:
    """`message` (validation's English for `field`) as the settings dialog shows it."""
    if message in WHOLE:
        return _tr(message)
    source = HEADLINES.get(field.split(".")[0], OTHER)
    headline = _tr(source)
    return message if headline == source else f"{headline}\n{message}"


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    return {field: field_error(field, message) for field, message in errors.items()}
