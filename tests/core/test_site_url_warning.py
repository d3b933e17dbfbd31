"""`ssmark serve` warns when SSMARK_SITE_URL was never set and the server listens elsewhere:
the embed snippet an ISP copies would otherwise point at a dead address."""

from __future__ import annotations

from ssmark.core.siteurl import mismatch_warning

DEFAULT = "http://127.0.0.1:8000"


def test_default_url_and_another_port_warns_with_the_fix() -> None:
    text = mismatch_warning(site_url=DEFAULT, is_default=True, host="127.0.0.1", port=8302)
    assert text is not None
    assert "SSMARK_SITE_URL" in text and "http://127.0.0.1:8302" in text


def test_default_url_matching_the_server_is_quiet() -> None:
    assert mismatch_warning(site_url=DEFAULT, is_default=True, host="127.0.0.1", port=8000) is None
    assert mismatch_warning(site_url=DEFAULT, is_default=True, host="localhost", port=8000) is None


def test_a_url_set_on_purpose_is_trusted() -> None:
    # Behind a proxy the public address differs from the bind address by design.
    site = "https://mark.example.jp"
    assert mismatch_warning(site_url=site, is_default=False, host="127.0.0.1", port=8302) is None


def test_another_host_warns() -> None:
    text = mismatch_warning(site_url=DEFAULT, is_default=True, host="192.0.2.10", port=8000)
    assert text is not None and "192.0.2.10:8000" in text
