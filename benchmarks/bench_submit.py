"""Submit: completed respondent submissions per second through gunicorn, 50 clients.

Each client thread takes its own token link and goes through the real pages: the intro, every
section page (GET, then POST with the CSRF token), the review page and the submit. Latency is
per HTTP request. Reference: benchmarks.reference_app, one POST per submission inserting the
same rows with one executemany, served by gunicorn the same way.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.harness import ROOT, Result, app_for, free_port, postgres_database

BATTERY = "uppfoljning-foretagsbesok"
CLIENTS = 50
PAGES = [
    {"BESOK_VART_TIDEN": "5", "BESOK_LYSSNADE": "4", "BESOK_FORBEREDDA": "5"},
    {"HJALP_FICK": "ja", "HJALP_VIDARE": "natverk"},
    {"NPS_BESOK": "8"},
    {"NKI_HELHET": "5", "NKI_FORVANTAN": "4", "NKI_IDEAL": "4"},
    {"KOMMENTAR": "Bra besök, tack!"},
]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _invitations(url: str, count: int) -> tuple[int, list[str]]:
    """Create a survey of the follow-up battery and `count` invitations; return the tokens."""
    import random
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from survey import orgnr
    from survey.extensions import db
    from survey.models import Company, Survey
    from survey.services.batteries import get_version
    from survey.services.invitations import create_invitation

    rng = random.Random(1)
    app = app_for(url)
    with app.app_context():
        numbers = {orgnr.generate(rng) for _ in range(count * 2)}
        rows = [
            {"org_number": n, "name": f"Företag {i} AB", "contact_email": f"k{i}@f.example.com"}
            for i, n in enumerate(sorted(numbers)[:count])
        ]
        db.session.execute(insert(Company), rows)
        version = get_version(BATTERY)
        survey = Survey(
            name="Bench", battery_version_id=version.id, opens_on=date.today() - timedelta(1),
            closes_on=date.today() + timedelta(30), sender_name="Bench",
            invitation_subject_sv="Enkät", invitation_body_sv="{link}",
        )  # fmt: skip
        db.session.add(survey)
        db.session.flush()
        tokens = [create_invitation(survey, c) for c in db.session.scalars(select(Company))]
        db.session.commit()
        version_id = version.id
        db.engine.dispose()
    return version_id, tokens


def _serve(target: str, url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SURVEY_ENV": "development",
        "RATELIMIT_ENABLED": "false",
        "SURVEY_BASE_URL": f"http://127.0.0.1:{port}",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
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


def _respond(base: str, token: str, latencies: list[float]) -> None:
    """Go through one token link like a respondent: pages, review, submit."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def call(path: str, data: dict[str, str] | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        with opener.open(base + path, body, timeout=60) as reply:
            page = reply.read().decode()
        latencies.append(time.perf_counter() - started)
        return page

    call(f"/s/{token}")
    for number, answers in enumerate(PAGES, start=1):
        page = call(f"/s/{token}/{number}")
        call(f"/s/{token}/{number}", {**answers, "csrf_token": _csrf(page), "action": "next"})
    review = call(f"/s/{token}/review")
    thanks = call(f"/s/{token}/review", {"csrf_token": _csrf(review)})
    if f"/s/{token}/review" in thanks and "csrf_token" in thanks:
        raise RuntimeError("submit did not complete")


def _csrf(page: str) -> str:
    found = TOKEN.search(page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _load(work: list, clients: int) -> tuple[float, list[float], int]:
    """Run `work` callables over `clients` threads; return seconds, latencies, failures."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not work:
                    return
                job = work.pop()
            try:
                job(latencies)
            except Exception:  # noqa: BLE001 - count, keep going
                failures[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures[0]


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")


def run() -> list[Result]:
    """Serve the app and the reference with gunicorn; load each with 50 clients."""
    count = int(os.environ.get("BENCH_SUBMITS", "500"))
    with postgres_database("submit") as url:
        version_id, tokens = _invitations(url, count)
        port = free_port()
        server = _serve("wsgi:app", url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            jobs = [lambda lat, t=t: _respond(base, t, lat) for t in tokens]
            seconds, latencies, failed = _load(jobs, CLIENTS)
        finally:
            server.terminate()
            server.wait()
        stored = _count(url)
        port = free_port()
        server = _serve("benchmarks.reference_app:app", url, port)
        try:
            form = {k: v for page in PAGES for k, v in page.items()}
            post = urllib.parse.urlencode(form).encode()
            ref_url = f"http://127.0.0.1:{port}/submit/{version_id}"
            jobs = [lambda lat: _post(ref_url, post, lat) for _ in range(count)]
            ref_seconds, ref_latencies, _ref_failed = _load(jobs, CLIENTS)
        finally:
            server.terminate()
            server.wait()
    rate, ref_rate = (count - failed) / seconds, count / ref_seconds
    p95 = _percentile(latencies, 95)
    return [
        Result(
            "submit",
            size=count,
            figure=rate,
            reference=ref_rate,
            unit="submissions/s",
            ratio=rate / ref_rate,
            target=">= 50 % of reference, p95 < 150 ms at 50 clients",
            met=failed == 0 and stored == count and rate >= 0.5 * ref_rate and p95 < 0.150,
            extra={
                "p50_ms": round(1000 * _percentile(latencies, 50), 1),
                "p95_ms": round(1000 * p95, 1),
                "ref_p50_ms": round(1000 * _percentile(ref_latencies, 50), 1),
                "ref_p95_ms": round(1000 * _percentile(ref_latencies, 95), 1),
                "requests_per_submission": len(PAGES) * 2 + 3,
                "failed": failed,
                "stored": stored,
            },
        )
    ]


def _post(url: str, body: bytes, latencies: list[float]) -> None:
    started = time.perf_counter()
    with urllib.request.urlopen(url, body, timeout=60) as reply:
        reply.read()
    latencies.append(time.perf_counter() - started)


def _count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM responses")).scalar_one()
    engine.dispose()
    return stored
