"""Benchmark of the public hot paths against the physical floor: nginx serving the mark's SVG
as a static file, on the same machine, in the same run.

    python bench/public/run.py [--duration 10] [--connections 64] [--count 10000]

Starts nginx (Debian's package) on a free loopback port serving the mark of one licence as a
static file, and `ssmark serve` (what `make run` starts: production settings, no nginx in
front) on another, against a fresh SQLite database (or, with DATABASE_URL naming PostgreSQL
and --postgres, a fresh database on that server, dropped afterwards) holding `--count`
licences. Runs wrk for `--duration` seconds per endpoint and prints req/s, p50/p99 and the
ratio to nginx, with the issue's targets (mark.svg ≥ 0.25× with p99 ≤ 20 ms; verification
page ≥ 0.10×; registry page ≥ 0.05×). Then suspends the benchmarked licence from another
process and measures how long until every server process shows it (target ≤ 5 s). Loopback only; every run is bounded. Writes
bench/out/public.json. Needs nginx and wrk (scripts/sysdeps.sh installs them).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

_spec = importlib.util.spec_from_file_location("markbench", ROOT / "bench" / "mark" / "run.py")
assert _spec and _spec.loader
markbench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(markbench)

# endpoint → (minimum ratio to nginx, maximum p99 in ms or None)
TARGETS = {
    "mark.svg": (0.25, 20.0),
    "verification page": (0.10, None),
    "registry page": (0.05, None),
}

NGINX_CONF = """
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{ image/svg+xml svg; }}
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{ root {tmp}/www; }}
  }}
}}
"""


@contextlib.contextmanager
def nginx_static(svg: bytes, number: str, workers: int) -> Iterator[str]:
    """nginx serving `svg` at /licences/<number>/mark.svg on a free loopback port."""
    tmp = Path(tempfile.mkdtemp(prefix="ssmark-bench-nginx-"))
    try:
        tmp.chmod(0o755)  # nginx's workers may run as another user
        target = tmp / "www" / "licences" / number / "mark.svg"
        target.parent.mkdir(parents=True)
        for folder in (tmp / "www", tmp / "www" / "licences", target.parent):
            folder.chmod(0o755)
        target.write_bytes(svg)
        target.chmod(0o644)
        port = markbench.free_port()
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, workers=workers), encoding="utf-8")
        proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(tmp)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    url = f"{base}/licences/{number}/mark.svg"
                    with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "nginx did not start: " + (tmp / "error.log").read_text()
                        ) from None
                    time.sleep(0.2)
            yield base
        finally:
            markbench.stop(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench(database_url: str, args: argparse.Namespace) -> list[dict]:
    rows = []
    with markbench.ssmark_server(database_url, args.count, args.serve_args) as (base, info):
        number = info["number"]
        with urllib.request.urlopen(f"{base}/licences/{number}/mark.svg") as r:  # noqa: S310
            svg = r.read()
        # Warm every process's snapshot before measuring.
        for _ in range(50):
            for path in (f"/licences/{number}/mark.svg", f"/licences/{number}/", "/registry/"):
                with urllib.request.urlopen(base + path) as r:  # noqa: S310
                    r.read()
        with nginx_static(svg, number, args.nginx_workers) as floor:
            targets = [
                ("nginx static SVG", floor + f"/licences/{number}/mark.svg"),
                ("mark.svg", f"{base}/licences/{number}/mark.svg"),
                ("verification page", f"{base}/licences/{number}/"),
                ("registry page", f"{base}/registry/"),
            ]
            for name, url in targets:
                print(f"{name} ({args.duration}s) …", flush=True)
                rows.append({"endpoint": name, "url": url, **markbench.run_wrk(url, args, [])})
        print("propagation of a suspension to every server process …", flush=True)
        rows.append({"endpoint": "propagation", **propagation(base, number, info["env"])})
    return rows


VALID_SHIELD = b"M26 0 L50 8"


def propagation(base: str, number: str, env: dict[str, str]) -> dict[str, float]:
    """Suspend `number` from another process (a plain UPDATE: the trigger bumps the token)
    while a poller keeps asking for its mark on fresh connections (spread over the server's
    workers); the last valid answer after the commit gives the propagation time."""
    seen: list[tuple[float, bool]] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            with urllib.request.urlopen(f"{base}/licences/{number}/mark.svg") as r:  # noqa: S310
                seen.append((time.time(), VALID_SHIELD in r.read()))

    pollers = [threading.Thread(target=poll, daemon=True) for _ in range(4)]
    for t in pollers:
        t.start()
    code = (
        "import time; from ssmark.licences.models import Licence; "
        f"Licence.objects.filter(number={number!r}).update(status='suspended'); "
        "print(time.time())"
    )
    out = subprocess.run(
        [markbench.SSMARK, "shell", "-c", code],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    committed = float(out.strip().splitlines()[-1])
    time.sleep(8)
    stop.set()
    for t in pollers:
        t.join(timeout=30)
    after = [(at, valid) for at, valid in seen if at >= committed]
    last_valid = max((at for at, valid in after if valid), default=committed)
    settled = bool(after) and not any(valid for at, valid in after if at > last_valid)
    return {
        "seconds": last_valid - committed,
        "answers": float(len(after)),
        "settled": float(settled and len(after) > 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (≤ 120)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--count", type=int, default=10_000, help="licences to load")
    parser.add_argument("--nginx-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL's server")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument(
        "serve_args", nargs="*", help="extra `ssmark serve` options (after --), to compare"
    )
    args = parser.parse_args()
    args.duration = max(1, min(args.duration, 120))
    for tool in ("wrk", NGINX):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed: run scripts/sysdeps.sh as root", file=sys.stderr)
            return 2
    url = os.environ.get("DATABASE_URL", "")
    if args.postgres and url.startswith(("postgres://", "postgresql://")):
        label = "PostgreSQL"
        with markbench.fresh_postgres(url) as fresh:
            rows = bench(fresh, args)
    else:
        label = "SQLite"
        with tempfile.TemporaryDirectory(prefix="ssmark-bench-db-") as tmp:
            rows = bench(f"sqlite:///{tmp}/bench.sqlite3", args)

    spread = [r for r in rows if r["endpoint"] == "propagation"]
    rows = [r for r in rows if r["endpoint"] != "propagation"]
    floor = rows[0]["rps"]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(
        f"{label}, {args.count} licences · wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s · {os.cpu_count()} CPU(s) shared by wrk, nginx and ssmark · "
        f"load average at the end {load}"
    )
    header = f"{'endpoint':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× nginx':>8}  target"
    print(header)
    print("-" * len(header))
    ok = True
    for r in rows:
        r["ratio"] = r["rps"] / floor if floor else float("nan")
        target = TARGETS.get(r["endpoint"])
        verdict = ""
        if target:
            ratio_min, p99_max = target
            met = r["ratio"] >= ratio_min and (p99_max is None or r["p99"] <= p99_max)
            ok &= met
            verdict = f"≥ {ratio_min:.2f}×" + (f", p99 ≤ {p99_max:.0f} ms" if p99_max else "")
            verdict += "  met" if met else "  NOT MET"
        bad = "  (non-2xx/3xx!)" if r["non_2xx_3xx"] else ""
        print(
            f"{r['endpoint']:<20} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
            f"{r['ratio']:>8.3f}  {verdict}{bad}"
        )
    for r in spread:
        met = bool(r["settled"]) and r["seconds"] <= 5
        ok &= met
        print(
            f"a suspension reached every answer after {r['seconds']:.2f} s "
            f"({r['answers']:.0f} requests after the commit; target ≤ 5 s: "
            f"{'met' if met else 'NOT MET'})"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "public.json").write_text(json.dumps(rows + spread, indent=2), encoding="utf-8")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
