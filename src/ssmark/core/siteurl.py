"""The public address (SSMARK_SITE_URL) against the address the server listens on.

Embed snippets, credential links, e-mails and PDFs carry SITE_URL. When it was never set and
the server listens somewhere else (`ssmark serve --port 8302`), everything an ISP copies would
point at a dead address, so `ssmark serve` says so at start.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"}  # noqa: S104 (names, not binds)


def mismatch_warning(*, site_url: str, is_default: bool, host: str, port: int) -> str | None:
    """A warning to print, or None when SITE_URL was set on purpose or matches the server."""
    if not is_default:
        return None
    parts = urlsplit(site_url)
    url_port = parts.port or (443 if parts.scheme == "https" else 80)
    url_host = (parts.hostname or "").lower()
    same_host = url_host == host.lower() or (
        url_host in LOOPBACK_NAMES and host.lower() in LOOPBACK_NAMES
    )
    if same_host and url_port == port:
        return None
    shown_host = f"[{host}]" if ":" in host else host
    return (
        f"warning: SSMARK_SITE_URL is not set, so embed snippets, credential links, e-mails "
        f"and PDFs point at {site_url}, but this server listens on "
        f"http://{shown_host}:{port}/. Set SSMARK_SITE_URL to the address people use, e.g. "
        f"SSMARK_SITE_URL=http://{shown_host}:{port}"
    )
