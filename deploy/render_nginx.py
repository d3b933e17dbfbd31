"""Render the nginx site of ssmark (deploy/nginx/ssmark.conf.in) from its settings.

    .venv/bin/python deploy/render_nginx.py --server-name mark.example.jp \
        --upstream 127.0.0.1:8001 --upstream 10.0.0.12:8001 \
        --cert /etc/letsencrypt/live/mark.example.jp/fullchain.pem \
        --key /etc/letsencrypt/live/mark.example.jp/privkey.pem \
        > /etc/nginx/sites-available/ssmark

Reads SSMARK_MAX_SCAN_REPORT_MB (client_max_body_size, with 16 MB for the rest of the form)
and STATIC_ROOT from ssmark's settings, so run it with the same environment as the server
(e.g. `set -a; . /etc/ssmark/ssmark.env; set +a` first). `--https-listen`/`--http-listen`
take nginx `listen` values (default 443 / 80; `--http-listen ''` drops the http→https
redirect server).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "ssmark.conf.in"
FORM_MARGIN_MB = 16

HTTP_SERVER = """server {{
    listen {listen};
    server_name {server_name};
    return 301 https://$host$request_uri;
}}
"""


def render(
    *,
    server_name: str,
    upstreams: list[str],
    cert: str,
    key: str,
    max_scan_mb: int,
    static_root: str,
    https_listen: str = "443",
    http_listen: str = "80",
) -> str:
    for value in (server_name, cert, key, static_root, https_listen, http_listen, *upstreams):
        if any(c in value for c in ";{}\n\"'"):
            raise ValueError(f"not allowed in an nginx value: {value!r}")
    if not upstreams:
        raise ValueError("at least one --upstream (host:port of an `ssmark serve`)")
    lines = "\n".join(f"    server {u} max_fails=2 fail_timeout=5s;" for u in upstreams)
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "@UPSTREAMS@": lines,
        "@HTTP_SERVER@": HTTP_SERVER.format(listen=http_listen, server_name=server_name)
        if http_listen
        else "",
        "@HTTPS_LISTEN@": https_listen,
        "@SERVER_NAME@": server_name,
        "@TLS_CERT@": cert,
        "@TLS_KEY@": key,
        "@MAX_BODY@": f"{max_scan_mb + FORM_MARGIN_MB}m",
        "@STATIC_ROOT@": static_root.rstrip("/"),
    }
    for marker, value in values.items():
        text = text.replace(marker, value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True)
    parser.add_argument("--upstream", action="append", required=True, help="host:port")
    parser.add_argument("--cert", required=True, help="TLS certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="TLS private key (PEM)")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    from django.conf import settings

    try:
        text = render(
            server_name=args.server_name,
            upstreams=args.upstream,
            cert=args.cert,
            key=args.key,
            max_scan_mb=settings.MAX_SCAN_REPORT_MB,
            static_root=str(settings.STATIC_ROOT),
            https_listen=args.https_listen,
            http_listen=args.http_listen,
        )
    except ValueError as exc:
        print(f"render_nginx: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
