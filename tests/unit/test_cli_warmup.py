"""The CLI's warm-up: plain http to this machine loads no certificate store, and the
context it uses instead trusts nothing (a TLS handshake with it fails, never passes)."""

from __future__ import annotations

import ssl

import pytest

from desktopchat.cli.warmup import Warmup, closed_tls_context, plain_loopback
from desktopchat.core.transport import is_loopback_host

HOSTS = ["localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.9.8.7", "[::1]",
         "api.localhost", "example.com", "10.0.0.1", "[::2]", "0.0.0.0", "127.0.0.1.nip.io"]


@pytest.mark.parametrize("host", HOSTS)
def test_the_rule_is_the_transport_check_s(host: str) -> None:
    assert plain_loopback(f"http://{host}:8080/v1/chat/completions") == is_loopback_host(host)


@pytest.mark.parametrize("url", ["https://127.0.0.1/v1", "HTTPS://localhost/", "ftp://localhost/",
                                 "http://", "not a url", "", None, "http://[::1"])
def test_only_plain_http_counts(url: str | None) -> None:
    assert not plain_loopback(url)


def test_the_closed_context_trusts_no_certificate() -> None:
    context = closed_tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0


def test_a_loopback_url_starts_no_certificate_loading() -> None:
    warm = Warmup(keyring=False, url="http://127.0.0.1:1234/v1")
    assert warm.plain_loopback
    context = warm.tls()
    assert context is not None and context.cert_store_stats()["x509_ca"] == 0
    remote = Warmup(keyring=False, url="https://example.com/v1")
    assert not remote.plain_loopback
