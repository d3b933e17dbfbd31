"""Benchmark of the hot path: the live mark and the verification page, beside the registry
and a static file served by the same server (the floor: what the stack costs with no view).

    python bench/mark/run.py [--duration 10] [--connections 32] [--count 10000]

Starts `ssmark serve` (production settings) on a free port on 127.0.0.1 against a
fresh SQLite database in a temporary directory, loads `--count` licences (the 112 of seed 002
plus synthetic ones), and runs `wrk` for `--duration` seconds per endpoint. When DATABASE_URL
names a PostgreSQL server, the same runs against a fresh database created on it (and dropped
afterwards). Loopback only; every run is bounded. Prints requests/s and latency percentiles.
Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SSMARK = str(BIN / "ssmark") if (BIN / "ssmark").exists() else "ssmark"
OUT = ROOT / "bench" / "out"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`; dropped afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"ssmark_bench_{os.getpid()}"
    admin = psycopg.connect(url, autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("ssmark serve exited early")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError("ssmark serve did not become ready")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * UNITS[match.group(2)]


def run_wrk(url: str, args: argparse.Namespace, headers: list[str]) -> dict[str, float]:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, timeout=args.duration + 60, check=True
    ).stdout
    result: dict[str, float] = {}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(rps.group(1)) if rps else float("nan")
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = _ms(m.group(1)) if m else float("nan")
    total = re.search(r"(\d+) requests in", out)
    result["requests"] = float(total.group(1)) if total else 0.0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx_3xx"] = float(bad.group(1)) if bad else 0.0
    errors = re.search(r"Socket errors:.*", out)
    result["socket_errors"] = 1.0 if errors else 0.0
    return result


def stop(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """End a server started in its own session (SIGTERM, then SIGKILL)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextlib.contextmanager
def ssmark_server(
    database_url: str, count: int, serve_args: list[str] | None = None, label: str = ""
) -> Iterator[tuple[str, dict]]:
    """`count` licences loaded into `database_url` and `ssmark serve` (production settings)
    on a free loopback port: yields (base URL, load.py's answer + the server's "env")."""
    with tempfile.TemporaryDirectory(prefix="ssmark-bench-") as var:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SSMARK_VAR_DIR": var,
            "SSMARK_DEBUG": "false",
            "SSMARK_ALLOWED_HOSTS": "127.0.0.1",
            "SSMARK_SITE_URL": "http://127.0.0.1",
        }
        env.pop("SSMARK_SIGNING_KEY_FILE", None)
        print(f"{label}loading {count} licences …", flush=True)
        loaded = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("load.py")), str(count)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        )
        info = json.loads(loaded.stdout.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [SSMARK, "serve", "--host", "127.0.0.1", "--port", str(port), *(serve_args or [])]
        server = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_ready(base, server)
            yield base, {**info, "env": env}
        finally:
            stop(server)


def bench_database(label: str, database_url: str, args: argparse.Namespace) -> list[dict]:
    serve_args = ["--workers", str(args.workers)] if args.workers else []
    with ssmark_server(database_url, args.count, serve_args, f"[{label}] ") as (base, info):
        number = info["number"]
        targets = [
            ("static file (floor)", "/static/ssmark/ssmark.css", []),
            ("mark.svg", f"/licences/{number}/mark.svg", []),
            (
                "mark.svg 304",
                f"/licences/{number}/mark.svg",
                [f"If-None-Match: {info['etag']}"],
            ),
            ("verification page", f"/licences/{number}/", []),
            ("registry page 1", "/registry/", []),
            ("registry page 100", "/registry/?page=100", []),
        ]
        rows = []
        for name, path, headers in targets:
            print(f"[{label}] {name} ({args.duration}s) …", flush=True)
            result = run_wrk(base + path, args, headers)
            rows.append({"database": label, "endpoint": name, "path": path, **result})
        return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (≤ 120)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="server workers (default: serve's)")
    parser.add_argument("--count", type=int, default=10_000, help="licences to load")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    args = parser.parse_args()
    args.duration = max(1, min(args.duration, 120))
    if shutil.which("wrk") is None:
        print("wrk is not installed. Debian/Ubuntu: sudo apt-get install wrk", file=sys.stderr)
        return 2

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ssmark-bench-db-") as tmp:
        rows += bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not args.sqlite_only:
        with fresh_postgres(url) as fresh:
            rows += bench_database("PostgreSQL", fresh, args)

    cpu = os.cpu_count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(
        f"{args.count} licences · wrk -t{args.threads} -c{args.connections} -d{args.duration}s · "
        f"{cpu} CPU(s), server workers: {args.workers or 'serve default (1 per CPU)'} · "
        f"load average at the end {load} (wrk and the server share the machine)"
    )
    header = (
        f"{'database':<11} {'endpoint':<20} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        flag = "  (non-2xx/3xx!)" if r["non_2xx_3xx"] else ""
        print(
            f"{r['database']:<11} {r['endpoint']:<20} {r['rps']:>9.0f} {r['p50']:>8.2f} "
            f"{r['p90']:>8.2f} {r['p99']:>8.2f}{flag}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "mark.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
