"""HTTP load for the submit benchmark: gunicorn, a tiny browser, closed-loop and paced runners.

Each submission is one respondent, so each gets its own loopback source address
(127.1.x.y): the per-address rate limit of the token pages then counts as it would for real
respondents, and its database counter is paid on every request, as in production. The client
is `http.client` with one connection per request (gunicorn's sync workers close them anyway)
and a cookie dict, so the load generator spends as little of the shared two cores as it can.
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

from benchmarks.harness import ROOT, free_port

Job = Callable[["Timings"], None]


@dataclass
class Timings:
    """Latencies (seconds) per kind of request, shared by the client threads of one run."""

    by_kind: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.by_kind.setdefault(kind, []).append(seconds)

    def percentile_ms(self, kind: str, q: int) -> float:
        """Return the q-th percentile of one kind in milliseconds (all kinds for "*")."""
        if kind == "*":
            values = [v for vs in self.by_kind.values() for v in vs]
        else:
            values = self.by_kind.get(kind, [])
        if len(values) < 2:
            return float("nan")
        return round(1000 * statistics.quantiles(values, n=100)[q - 1], 1)

    def count(self) -> int:
        return sum(len(values) for values in self.by_kind.values())


def source_address(number: int) -> str:
    """Return the loopback address of respondent `number` (127.1.0.1, 127.1.0.2, ...)."""
    return f"127.1.{number // 250}.{number % 250 + 1}"


class Browser:
    """One respondent's browser: its own source address and session cookie, no redirects."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None, timings: Timings, kind: str
    ) -> tuple[int, str, str]:
        """Send one request; return status, Location header and body; record its latency."""
        headers = {"Connection": "close"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            page = reply.read().decode()
        finally:
            connection.close()
        timings.add(kind, time.perf_counter() - started)
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return reply.status, reply.headers.get("Location", ""), page


@contextmanager
def serve(target: str, url: str, ports: dict[str, int], name: str) -> Iterator[Popen]:
    """Serve a WSGI target with `gunicorn -w 2` on a free loopback port kept in ports[name].

    Rate limiting stays on, as in production (every respondent has its own address).
    """
    ports[name] = free_port()
    server = _gunicorn(target, url, ports[name])
    try:
        yield server
    finally:
        server.terminate()
        server.wait()


def _gunicorn(target: str, url: str, port: int) -> Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SURVEY_ENV": "development",
        "RATELIMIT_ENABLED": "true",
        "SURVEY_BASE_URL": f"http://127.0.0.1:{port}",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = Popen(
        [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except urllib.error.HTTPError:
            return process  # it answers (404 is fine)
        except OSError:
            time.sleep(0.2)
        else:
            return process
    process.terminate()
    raise RuntimeError(f"{target} did not start")


def run_closed(jobs: list[Job], clients: int) -> tuple[float, Timings, int]:
    """Run the jobs over `clients` threads as fast as they go; return seconds, timings, failures."""
    return _run(jobs, clients, interval=None)


def run_paced(jobs: list[Job], clients: int, rate: float) -> tuple[float, Timings, int]:
    """Start job i at i / rate seconds (or as soon as one of `clients` threads is free)."""
    return _run(jobs, clients, interval=1.0 / rate)


def _run(jobs: list[Job], clients: int, interval: float | None) -> tuple[float, Timings, int]:
    timings, failures, lock = Timings(), [0], threading.Lock()
    queue = list(enumerate(jobs))
    queue.reverse()
    started = time.perf_counter()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                number, job = queue.pop()
            if interval is not None:
                time.sleep(max(0.0, started + number * interval - time.perf_counter()))
            try:
                job(timings)
            except Exception:  # noqa: BLE001 - count, keep going
                with lock:
                    failures[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, timings, failures[0]


def server_cpu_seconds(master_pid: int, database: str) -> tuple[float, float]:
    """Return the CPU seconds used so far by gunicorn's workers and by the database's backends.

    Read from /proc (Linux): the workers are the master's children; the PostgreSQL backends
    are the processes whose title names the benchmark's database. Measured before and after
    a run, this gives the CPU cost per submission, which the machine's other load does not
    change the way it changes throughput.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    app = sum(_cpu_ticks(int(pid)) for pid in children)
    backends = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                backends += _cpu_ticks(int(entry.name))
    return app / tick, backends / tick


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime
