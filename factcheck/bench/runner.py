"""Measuring pages: in process for queries and plans, over HTTP against gunicorn for time."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

EXPLAINED_QUERIES_LIMIT = 40


# --- In process: queries and plans ---------------------------------------------------


@dataclass
class Probe:
    status: int
    queries: list[str]
    page_count: int | None = None


def probe(client: Client, path: str) -> Probe:
    """Request the page in process, counting its SQL queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    page_count = None
    for context in response.context or []:
        paginator = context.get("paginator") or getattr(context.get("table"), "paginator", None)
        if paginator is not None:
            page_count = paginator.num_pages
            break
    return Probe(response.status_code, [query["sql"] for query in captured], page_count)


PLAN_INDEX = re.compile(r"(?:Index Only Scan|Index Scan|Bitmap Index Scan) (?:using|on) (\S+)")
PLAN_SEQ_SCAN = re.compile(r"Seq Scan on (\S+)")


def explain_slowest(queries: list[str]) -> dict | None:
    """EXPLAIN ANALYZE every read of the page; keep the plan of the one that took longest."""
    reads = list(dict.fromkeys(q for q in queries if q.lstrip().upper().startswith("SELECT")))
    slowest, slowest_ms = None, -1.0
    with connection.cursor() as cursor:
        for sql in reads[:EXPLAINED_QUERIES_LIMIT]:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            took = plan[0]["Execution Time"] + plan[0].get("Planning Time", 0)
            if took > slowest_ms:
                slowest, slowest_ms = sql, took
        if slowest is None:
            return None
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "sql": slowest,
        "milliseconds": round(slowest_ms, 2),
        "indexes_used": sorted(set(PLAN_INDEX.findall(text))),
        "sequential_scans": sorted(set(PLAN_SEQ_SCAN.findall(text))),
        "plan": text,
    }


# --- Over HTTP: gunicorn, sequential latency, load ------------------------------------


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


class Server:
    """gunicorn serving the app with the benchmark settings on a free local port."""

    def __init__(self, *, workers: int, log_path: Path, environment: dict | None = None):
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.environment = environment or {}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            **self.environment,
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--timeout=120",
            "--log-level=warning",
        ]
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start within a minute; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker, from /proc (Linux)."""
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid) and "VmRSS" in fields:
                sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(sizes)


@dataclass
class Latency:
    samples_ms: list[float] = field(default_factory=list)
    failures: int = 0
    # The page's first request, before the server could have cached it.
    first_ms: float | None = None

    @property
    def median(self) -> float | None:
        return round(statistics.median(self.samples_ms), 2) if self.samples_ms else None

    @property
    def p95(self) -> float | None:
        return p95(self.samples_ms)


def get(port: int, path: str, cookie: str | None) -> tuple[int, float]:
    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def sequential(
    port: int, path: str, *, cookie: str | None, requests: int, seconds: float, warmup: int = 3
) -> Latency:
    """One request at a time; stops at `requests` or after `seconds`, whichever comes first.

    The first warm-up request is the page's first on this server, so its time is the
    uncached (cold) one; the samples that follow it are served warm.
    """
    latency = Latency()
    for number in range(warmup):
        status, took = get(port, path, cookie)
        if number == 0 and status == 200:
            latency.first_ms = round(took, 2)
    deadline = time.monotonic() + seconds
    while len(latency.samples_ms) + latency.failures < requests:
        status, took = get(port, path, cookie)
        if status == 200:
            latency.samples_ms.append(took)
        else:
            latency.failures += 1
        if time.monotonic() > deadline and len(latency.samples_ms) >= 5:
            break
    return latency


@dataclass
class Mix:
    """The reader pages in turn, with a write every `write_every` requests."""

    samples_ms: list[float] = field(default_factory=list)
    after_write_ms: list[float] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)
    failures: int = 0

    def summary(self, write_every: int) -> dict:
        def median(values):
            return round(statistics.median(values), 2) if values else None

        return {
            "write_every": write_every,
            "requests": len(self.samples_ms) + self.failures,
            "failures": self.failures,
            "writes": len(self.write_ms),
            "median_ms": median(self.samples_ms),
            "p95_ms": p95(self.samples_ms),
            "after_write_median_ms": median(self.after_write_ms),
            "after_write_p95_ms": p95(self.after_write_ms),
            "write_median_ms": median(self.write_ms),
        }


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) < 2:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=20, method="inclusive")[18], 2)


def mix_with_writes(port: int, paths: list[str], *, requests: int, write_every: int, write) -> Mix:
    """Request `paths` in turn; every `write_every` requests call `write()` (a committed
    write through the services), and time the first request to each page after it."""
    mix = Mix()
    fresh = set()  # pages not requested since the last write
    for number in range(requests):
        if write_every and number and number % write_every == 0:
            started = time.perf_counter()
            write()
            mix.write_ms.append((time.perf_counter() - started) * 1000)
            fresh = set(paths)
        path = paths[number % len(paths)]
        status, took = get(port, path, None)
        if status != 200:
            mix.failures += 1
            continue
        mix.samples_ms.append(took)
        if path in fresh:
            mix.after_write_ms.append(took)
            fresh.discard(path)
    return mix


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}

# wrk asks for the paths in turn, one list per thread.
ROUND_ROBIN_LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end
"""


def wrk(
    url: str,
    *,
    cookie: str | None,
    duration: str,
    connections: int,
    threads: int,
    paths: list[str] | None = None,
    script_dir: Path | None = None,
) -> dict:
    """Throughput under concurrent load, from wrk's own report; with `paths`, over those
    paths in turn (written to a Lua script in `script_dir`)."""
    command = [
        "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={duration}",
        "--timeout=60s",
        "--latency",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    if paths:
        script = (script_dir or Path(".")) / "mix.lua"
        script.write_text(ROUND_ROBIN_LUA % ", ".join(json.dumps(path) for path in paths))
        command += ["--script", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    result = {"raw": output}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["requests_per_second"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(match.group(1)) if match else 0
    result["socket_errors"] = bool(re.search(r"Socket errors", output))
    for percentile in ("50", "90", "99"):
        if match := re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
            result[f"p{percentile}_ms"] = round(
                float(match.group(1)) * WRK_UNITS[match.group(2)], 2
            )
    return result


def wrk_missing_message() -> str | None:
    if shutil.which("wrk"):
        return None
    return (
        "wrk, the HTTP load generator, is not installed. On Debian or Ubuntu: "
        "apt-get install -y wrk"
    )
