"""desktopchat: a native desktop chat client for OpenAI-compatible streaming endpoints."""

# The one place the version lives; pyproject, --version and the bundle all read it.
__version__ = "0.1.0"
