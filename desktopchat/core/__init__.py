"""The wire: chat requests out, typed stream events in. httpx and httpx-sse only; no Qt."""
