"""deploy/: the nginx site passes `nginx -t` and carries a request over TLS to the app with
X-Forwarded-Proto; its upload limit follows the scan limit; the systemd units verify.

Skipped (with the reason) only where nginx or systemd-analyze is not installed;
scripts/sysdeps.sh installs nginx."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (scripts/sysdeps.sh installs it)"
)

_spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
assert _spec and _spec.loader
render_nginx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_nginx)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def nginx_conf(tmp: Path, site: str) -> Path:
    """A whole nginx.conf (loopback, temp paths under `tmp`) that includes the site file."""
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include {tmp}/site.conf;
}}
""",
        encoding="utf-8",
    )
    return conf


def test_upload_limit_follows_the_scan_limit_and_values_are_checked():
    site = render_nginx.render(
        server_name="mark.example.jp",
        upstreams=["127.0.0.1:8001", "10.0.0.2:8001"],
        cert="/c.pem",
        key="/k.pem",
        max_scan_mb=2048,
        static_root="/var/lib/ssmark/static/",
    )
    assert "client_max_body_size 2064m;" in site
    assert "server 127.0.0.1:8001 " in site and "server 10.0.0.2:8001 " in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "alias /var/lib/ssmark/static/;" in site
    assert "return 301 https://$host$request_uri;" in site
    assert "@" not in site.replace("@UPSTREAMS", "")  # every marker filled
    with pytest.raises(ValueError, match="not allowed"):
        render_nginx.render(
            server_name="x; include /etc/passwd",
            upstreams=["127.0.0.1:8001"],
            cert="/c",
            key="/k",
            max_scan_mb=1,
            static_root="/s",
        )


@needs_nginx
def test_nginx_t_accepts_the_production_site(tmp_path, settings):
    cert, key = self_signed(tmp_path)
    site = render_nginx.render(
        server_name="mark.example.jp",
        upstreams=["127.0.0.1:8001", "127.0.0.1:8002"],
        cert=str(cert),
        key=str(key),
        max_scan_mb=settings.MAX_SCAN_REPORT_MB,
        static_root=str(tmp_path / "static"),
        https_listen=f"127.0.0.1:{free_port()}",
        http_listen=f"127.0.0.1:{free_port()}",
    )
    conf = nginx_conf(tmp_path, site)
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
@pytest.mark.django_db(transaction=True)
def test_one_request_through_nginx_over_tls_to_the_app(tmp_path, live_server, settings):
    # The app trusts X-Forwarded-Proto as in production (SSMARK_BEHIND_TLS_PROXY): it sees
    # https through nginx, http when asked directly.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cert, key = self_signed(tmp_path)
    static = tmp_path / "static" / "ssmark"
    static.mkdir(parents=True)
    (static / "probe.css").write_text("body{}", encoding="utf-8")
    https_port, http_port = free_port(), free_port()
    upstream = live_server.url.removeprefix("http://")
    stopped = f"127.0.0.1:{free_port()}"  # a second app process that is down
    site = render_nginx.render(
        server_name="localhost",
        upstreams=[stopped, upstream],
        cert=str(cert),
        key=str(key),
        max_scan_mb=settings.MAX_SCAN_REPORT_MB,
        static_root=str(tmp_path / "static"),
        https_listen=f"127.0.0.1:{https_port}",
        http_listen=f"127.0.0.1:{http_port}",
    )
    conf = nginx_conf(tmp_path, site)
    proc = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    context = ssl.create_default_context(cafile=str(cert))
    context.check_hostname = False
    try:
        body = _get(f"https://127.0.0.1:{https_port}/healthz", context, proc, tmp_path)
        assert body["status"] in ("ok", "overdue") and "jobs" in body
        assert body["https"] is True
        # Several upstreams: a request that meets the stopped one is passed to the other.
        for _ in range(4):
            assert _get(f"https://127.0.0.1:{https_port}/healthz", context, proc, tmp_path)
        with urllib.request.urlopen(live_server.url + "/healthz", timeout=10) as direct:  # noqa: S310
            assert json.loads(direct.read())["https"] is False
        # Static files come from disk through nginx.
        with urllib.request.urlopen(
            f"https://127.0.0.1:{https_port}/static/ssmark/probe.css", context=context, timeout=10
        ) as r:
            assert r.read() == b"body{}"
        # Plain http on the site's port 80 goes to https.
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{http_port}/registry/", timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _get(url: str, context: ssl.SSLContext, proc: subprocess.Popen, tmp: Path) -> Any:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, context=context, timeout=10) as r:  # noqa: S310
                return json.loads(r.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 503:  # an overdue job: still the app's answer, through nginx
                return json.loads(exc.read())
            raise
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                pytest.fail(f"nginx did not answer: {log}")
            time.sleep(0.2)


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    ssmark = Path(sys.executable).with_name("ssmark")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text(encoding="utf-8").replace("/srv/ssmark/.venv/bin/ssmark", str(ssmark))
        target = tmp_path / unit.name
        target.write_text(text, encoding="utf-8")
        units.append(target)
    # The template is checked as one instance of it.
    instance = tmp_path / "ssmark@8001.service"
    instance.write_text((tmp_path / "ssmark@.service").read_text(), encoding="utf-8")
    units = [u for u in units if u.name != "ssmark@.service"] + [instance]
    names = {u.name for u in units}
    for job in ("lapse-licences", "send-notifications"):
        assert f"ssmark-{job}.timer" in names and f"ssmark-{job}.service" in names
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if any(u.name in line for u in units)
    ]
    assert not problems, problems
    lapse = (DEPLOY / "systemd" / "ssmark-lapse-licences.timer").read_text()
    assert "OnCalendar=*-*-* 00:15:00 Asia/Tokyo" in lapse and "Persistent=true" in lapse
