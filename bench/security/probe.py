"""Probe of issue 11 against a real `ssmark serve` on a loopback port, tried as an attacker would.

    python bench/security/probe.py [--port 18431] [--parallel 12] [--database-url URL]

Makes a fresh SQLite installation in a temporary folder (demo users; the demo staff enrolled
with the published demo key; one licence and one invoice carrying spreadsheet formulas),
starts `ssmark serve`, then counts:

1. the admin: password alone at /admin/login/, what that session reaches, then the real
   sign-in (password + code) reaching /admin/;
2. the throttle: `--parallel` wrong passwords at once for one account, how many were checked
   (200) and refused (429); the right password from the same address; a forged
   X-Forwarded-For; a different account from a different address (127.0.0.2);
3. second-factor guesses: 3 rounds of password + 4 wrong codes;
4. exports: formula cells in /registry.csv and the fees export; junk query values.

Prints the figures and writes bench/out/security_probe.json. Loopback only, bounded.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
EVIL_SERVICE = "=cmd|' /C calc'!A0"
EVIL_ADDRESSEE = "@SUM(1+1)*cmd|' /C calc'!A0"
DEMO_PASSWORD = "ssmark-demo"  # noqa: S105 - the published demo password

SETUP = f"""
import datetime, io, sys
sys.path.insert(0, {str(ROOT)!r})
from ssmark.accounts import demo
from ssmark.accounts.models import Organisation, User
from ssmark.core import clock
demo.load(io.StringIO())
from tests.fees import factories
from ssmark.fees.services import raise_review_fee
from ssmark.fees.models import Invoice
orgs = {{o.code: o for o in Organisation.objects.all()}}
orgs["sample-net"] = Organisation.objects.get(code="sample-net")
orgs["other-isp"] = orgs["minato-isp"]
users = {{"alice": User.objects.get(username="alice")}}
lic = factories.licence(orgs, first_granted_on=clock.today() - datetime.timedelta(days=30))
lic.service_name = {EVIL_SERVICE!r}
lic.save()
app = factories.application(orgs, users, submitted_on=clock.today())
raise_review_fee(application=app, actor=None)
Invoice.objects.filter(application=app).update(addressee_name={EVIL_ADDRESSEE!r})
print("setup done", lic.number)
"""


class SourceAdapter(HTTPAdapter):
    """Connect from a chosen loopback source address (a "different client")."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def session(base: str, source: str | None = None) -> requests.Session:
    s = requests.Session()
    if source:
        s.mount("http://", SourceAdapter(source))
    s.get(base + "/accounts/login/", timeout=30)
    return s


def post(s: requests.Session, url: str, data: dict[str, str], **kw: Any) -> requests.Response:
    data = {**data, "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")}
    return s.post(url, data=data, allow_redirects=False, timeout=60, **kw)


def signed_in(s: requests.Session, base: str) -> bool:
    page = s.get(base + "/", allow_redirects=False, timeout=30)
    return page.status_code == 200 and "/accounts/logout/" in page.text


@contextlib.contextmanager
def server(port: int, env: dict[str, str]) -> Iterator[str]:
    log = open(Path(env["SSMARK_VAR_DIR"]) / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(BIN / "ssmark"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/accounts/login/", timeout=2).status_code == 200:
                    break
            time.sleep(0.5)
        else:
            raise SystemExit("ssmark serve did not start; see serve.log")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def probe_admin(base: str, totp: pyotp.TOTP) -> dict[str, Any]:
    s = session(base)
    r = post(
        s, base + "/admin/login/?next=/admin/", {"username": "admin", "password": DEMO_PASSWORD}
    )
    reached = {
        path: s.get(base + path, allow_redirects=False, timeout=30).status_code
        for path in ["/committee/", "/licences/late/", "/fees/invoices/export.csv", "/admin/"]
    }
    wrong = [
        post(s, base + "/admin/login/", {"username": "admin", "password": f"x{n}"}).status_code
        for n in range(12)
    ]
    real = session(base)
    step1 = post(
        real,
        base + "/accounts/login/?next=/admin/",
        {"username": "admin", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    before_code = real.get(base + "/admin/", allow_redirects=False, timeout=30).status_code
    step2 = post(real, base + "/accounts/login/code/", {"code": totp.now()})
    admin_page = real.get(base + "/admin/", allow_redirects=False, timeout=30).status_code
    return {
        "admin_login_post_status": r.status_code,
        "admin_login_redirects_to": r.headers.get("Location"),
        "password_only_session_signed_in": signed_in(s, base),
        "password_only_session_reaches": reached,
        "twelve_wrong_admin_passwords_statuses": sorted(set(wrong)),
        "real_sign_in_password_step": step1.headers.get("Location"),
        "admin_before_code": before_code,
        "code_step": step2.headers.get("Location"),
        "admin_after_code": admin_page,
    }


def probe_throttle(base: str, parallel: int) -> dict[str, Any]:
    sessions = [session(base) for _ in range(parallel)]
    barrier = threading.Barrier(parallel)

    def attempt(s: requests.Session) -> int:
        barrier.wait()
        return post(
            s, base + "/accounts/login/", {"username": "carol", "password": "wrong"}
        ).status_code

    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        statuses = list(pool.map(attempt, sessions))
    right_same = post(
        session(base), base + "/accounts/login/", {"username": "carol", "password": DEMO_PASSWORD}
    )
    forged = post(
        session(base),
        base + "/accounts/login/",
        {"username": "carol", "password": DEMO_PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    # Lock the whole address out with many user names, then sign in elsewhere.
    s = session(base)
    spray = [
        post(s, base + "/accounts/login/", {"username": f"nobody{n}", "password": "x"}).status_code
        for n in range(25)
    ]
    same_address_other_account = post(
        session(base), base + "/accounts/login/", {"username": "alice", "password": DEMO_PASSWORD}
    )
    other = session(base, source="127.0.0.2")
    other_address_other_account = post(
        other, base + "/accounts/login/", {"username": "alice", "password": DEMO_PASSWORD}
    )
    return {
        "parallel_wrong_passwords": parallel,
        "checked_200": statuses.count(200),
        "refused_429": statuses.count(429),
        "right_password_same_address_after": right_same.status_code,
        "forged_x_forwarded_for": forged.status_code,
        "spray_25_usernames_one_address": {str(k): spray.count(k) for k in sorted(set(spray))},
        "other_account_same_address_after_spray": same_address_other_account.status_code,
        "other_account_other_address_after_spray": other_address_other_account.status_code,
        "other_address_redirects_to": other_address_other_account.headers.get("Location"),
        "other_address_signed_in": signed_in(other, base),
    }


def probe_codes(base: str, totp: pyotp.TOTP) -> dict[str, Any]:
    statuses: list[int] = []
    s = session(base, source="127.0.0.3")
    for _ in range(3):
        post(s, base + "/accounts/login/", {"username": "shinsa", "password": DEMO_PASSWORD})
        statuses += [
            post(s, base + "/accounts/login/code/", {"code": "000000"}).status_code
            for _ in range(4)
        ]
    right = post(s, base + "/accounts/login/code/", {"code": totp.now()})
    return {
        "wrong_codes": len(statuses),
        "checked_200": statuses.count(200),
        "refused_429": statuses.count(429),
        "right_code_while_locked": right.status_code,
    }


def probe_exports(base: str, totp: pyotp.TOTP) -> dict[str, Any]:
    registry = requests.get(base + "/registry.csv", timeout=30)
    s = session(base, source="127.0.0.4")
    post(s, base + "/accounts/login/", {"username": "jimukyoku", "password": DEMO_PASSWORD})
    time.sleep(max(0.0, 30 - time.time() % 30) + 0.5)  # a fresh code step (each code works once)
    post(s, base + "/accounts/login/code/", {"code": totp.now()})
    fees = s.get(base + "/fees/invoices/export.csv", timeout=30)
    junk = {
        q: s.get(base + "/fees/" + q, timeout=30).status_code
        for q in ["?year=99999", "?year=0", "?year=-5", "?body=%00", "?year=abc"]
    }
    return {
        "registry_csv_status": registry.status_code,
        "registry_evil_cell_neutralised": ("'" + EVIL_SERVICE) in registry.text,
        "registry_evil_cell_raw": f",{EVIL_SERVICE}," in registry.text
        or f'"{EVIL_SERVICE}"' in registry.text.replace("'=", "="),
        "fees_export_status": fees.status_code,
        "fees_evil_cell_neutralised": ("'" + EVIL_ADDRESSEE) in fees.text,
        "fees_junk_query_statuses": junk,
        "csp_on_registry": "script-src 'self'"
        in registry.headers.get("Content-Security-Policy", "")
        or bool(
            requests.get(base + "/registry/", timeout=30).headers.get("Content-Security-Policy")
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=18431)
    parser.add_argument("--parallel", type=int, default=12)
    parser.add_argument(
        "--database-url", default="", help="an EMPTY database to use instead of SQLite"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssmark-probe-") as var:
        env = {
            **os.environ,
            "SSMARK_VAR_DIR": var,
            "SSMARK_WORKERS": "2",
            "SSMARK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        env.pop("DATABASE_URL", None)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        subprocess.run([str(BIN / "ssmark"), "migrate", "-v0"], env=env, check=True)
        subprocess.run([str(BIN / "ssmark"), "shell", "-c", SETUP], env=env, check=True)
        demo_source = (ROOT / "src" / "ssmark" / "accounts" / "demo.py").read_text()
        match = re.search(r'DEMO_TOTP_SECRET = "([A-Z2-7]+)"', demo_source)
        assert match, "the demo key is printed by ssmark demo"
        totp = pyotp.TOTP(match.group(1))
        with server(args.port, env) as base:
            results = {"admin": probe_admin(base, totp)}
            results["throttle"] = probe_throttle(base, args.parallel)
            results["codes"] = probe_codes(base, totp)
            results["exports"] = probe_exports(base, totp)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    OUT.mkdir(exist_ok=True)
    (OUT / "security_probe.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
