"""Respondent: the LimeSurvey protocol, completed responses through gunicorn on PostgreSQL.

The survey LimeSurvey 6.4 was measured with on this machine (issue 20): three pages, six
5-point questions, three NKI questions 1-10, one free text. Each respondent is a fresh
browser (own session, own loopback address, rate limiting on) that goes from the mailed link
to the thank-you page, either page by page (intro, three pages GET + POST, review GET, submit
POST, thank-you GET: 10 requests) or on one page (form GET, submit POST, thank-you GET: 3
requests), with 1 client and with 20 clients closed-loop. Figures: completed responses/s,
p50/p95 of a whole response, p95 of a request, requests per response, and the CPU that
gunicorn's workers and PostgreSQL's backends spent per completed response (from /proc: the
figure the machine's other load changes least). LimeSurvey spent 620-890 ms of CPU (PHP +
database) per completed response on the same protocol; that comparison is information.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks.harness import Result, app_for, postgres_database
from benchmarks.http_load import Browser, Timings, run_closed, serve, server_cpu_seconds
from benchmarks.http_load import source_address as address

BATTERY_KEY = "limesurvey-protokoll"
AGREE = (
    "scale: {min: 1, max: 5, min_label: {sv: Instämmer inte alls}, max_label: {sv: Instämmer helt}}"
)
GRADE = "scale: {min: 1, max: 10, min_label: {sv: Mycket missnöjd}, max_label: {sv: Mycket nöjd}}"
BATTERY = (
    f"""
key: {BATTERY_KEY}
title: {{sv: Enkät om kommunens service}}
sections:
  - key: service
    title: {{sv: Kommunens service}}
    questions:
"""
    + "".join(
        f"""      - {{key: FRAGA_{n}, type: scale, text: {{sv: Påstående {n}}}, {AGREE}}}\n"""
        for n in range(1, 7)
    )
    + """  - key: helhet
    title: {sv: Helheten}
    questions:
"""
    + "".join(
        f"""      - {{key: {key}, type: scale, index: nki, text: {{sv: {key}}}, {GRADE}}}\n"""
        for key in ("NKI_HELHET", "NKI_FORVANTAN", "NKI_IDEAL")
    )
    + """  - key: synpunkter
    title: {sv: Synpunkter}
    questions:
      - {key: KOMMENTAR, type: long_text, text: {sv: "Övriga synpunkter?"}}
"""
)
PAGES = [
    {f"FRAGA_{n}": str(1 + n % 5) for n in range(1, 7)},
    {"NKI_HELHET": "8", "NKI_FORVANTAN": "7", "NKI_IDEAL": "9"},
    {"KOMMENTAR": "Snabbt och trevligt bemötande, tack!"},
]
ANSWERS = {key: value for page in PAGES for key, value in page.items()}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: Targets (issue 20): CPU ms per completed response, p95 of a request at 20 clients.
CPU_TARGET_MS = {"paged": 30.0, "one-page": 12.0}
P95_TARGET_MS = 300.0
LIMESURVEY_CPU_MS = "620-890"


def run() -> list[Result]:
    """Serve the app with gunicorn -w 2; run both flows with 1 and with 20 clients."""
    many = int(os.environ.get("BENCH_RESPONDENTS", "200"))
    alone = int(os.environ.get("BENCH_RESPONDENTS_ALONE", "30"))
    plan = [(flow, clients, count) for flow in FLOWS for clients, count in ((1, alone), (20, many))]
    with postgres_database("respondent") as url:
        database = make_url(url).database
        tokens = _invitations(url, sum(count for _, _, count in plan))
        ports: dict[str, int] = {}
        results, offset = [], 0
        with serve("wsgi:app", url, ports, "app") as server:
            _warm(ports["app"], tokens[0])
            offset = 1
            for flow, clients, count in plan:
                batch = tokens[offset : offset + count]
                jobs = [_job(flow, ports["app"], t, offset + n) for n, t in enumerate(batch)]
                offset += count
                before = server_cpu_seconds(server.pid, database)
                seconds, timings, failed = run_closed(jobs, clients)
                after = server_cpu_seconds(server.pid, database)
                cpu = [(b - a) / max(1, count - failed) for a, b in zip(before, after, strict=True)]
                results.append(_result(flow, clients, count, seconds, timings, failed, cpu))
        stored = _count(url)
    for result in results:
        result.extra["stored_in_run"] = stored
    return results


def _invitations(url: str, count: int) -> list[str]:
    """Load the protocol's battery, make a survey and `count` invited companies; the tokens."""
    import random
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from survey import orgnr
    from survey.extensions import db
    from survey.models import Company, Survey
    from survey.questionnaires.parse import parse_battery
    from survey.services.batteries import batteries
    from survey.services.surveys.invitations import create_invitation

    rng = random.Random(20)
    app = app_for(url)
    with app.app_context():
        batteries.load_definition(parse_battery(BATTERY, source="bench"), actor_id=None)
        numbers = sorted({orgnr.generate(rng) for _ in range(count * 2)})[: count + 1]
        rows = [
            {"org_number": n, "name": f"Företag {i} AB", "contact_email": f"k{i}@f.example.com"}
            for i, n in enumerate(numbers)
        ]
        db.session.execute(insert(Company), rows)
        survey = Survey(
            name="LimeSurvey-protokollet", battery_version_id=batteries.get_version(BATTERY_KEY).id,
            opens_on=date.today() - timedelta(1), closes_on=date.today() + timedelta(30),
            sender_name="Bench", invitation_subject_sv="Enkät", invitation_body_sv="{link}",
        )  # fmt: skip
        db.session.add(survey)
        db.session.flush()
        tokens = [create_invitation(survey, c) for c in db.session.scalars(select(Company))]
        db.session.commit()
        db.engine.dispose()
    return tokens


def _paged(port: int, token: str, number: int, timings: Timings) -> int:
    """The mailed link, three pages, review, submit, thank-you page; return requests made."""
    browser, base = Browser(port, address(number)), f"/s/{token}"
    _expect(browser.request("GET", base, None, timings, "intro")[0] == 200, "intro")
    for page_number, answers in enumerate(PAGES, start=1):
        path = f"{base}/{page_number}"
        status, _, page = browser.request("GET", path, None, timings, "page GET")
        _expect(status == 200, f"page {page_number} answered {status}")
        form = {**answers, "csrf_token": _csrf(page), "action": "next"}
        status, _, _ = browser.request("POST", path, form, timings, "page POST")
        _expect(status == 302, f"page {page_number} POST answered {status}")
    _, _, review = browser.request("GET", f"{base}/review", None, timings, "review GET")
    status, location, _ = browser.request(
        "POST", f"{base}/review", {"csrf_token": _csrf(review)}, timings, "submit POST"
    )
    _expect(status == 302 and location.endswith("/thanks"), f"submit answered {status}")
    _expect(browser.request("GET", location, None, timings, "thanks GET")[0] == 200, "thanks")
    return 3 + 2 * len(PAGES) + 1


def _one_page(port: int, token: str, number: int, timings: Timings) -> int:
    """The mailed link's one-page form, submit, thank-you page; return requests made."""
    browser, path = Browser(port, address(number)), f"/s/{token}/all"
    status, _, page = browser.request("GET", path, None, timings, "form GET")
    _expect(status == 200, f"form answered {status}")
    form = {**ANSWERS, "csrf_token": _csrf(page), "action": "submit"}
    status, location, _ = browser.request("POST", path, form, timings, "submit POST")
    _expect(status == 302 and location.endswith("/thanks"), f"submit answered {status}")
    _expect(browser.request("GET", location, None, timings, "thanks GET")[0] == 200, "thanks")
    return 3


FLOWS: dict[str, Callable[[int, str, int, Timings], int]] = {
    "paged": _paged,
    "one-page": _one_page,
}
REQUESTS = {"paged": 10, "one-page": 3}


def _job(flow: str, port: int, token: str, number: int) -> Callable[[Timings], None]:
    def job(timings: Timings) -> None:
        started = time.perf_counter()
        FLOWS[flow](port, token, number, timings)
        timings.add("response", time.perf_counter() - started)

    return job


def _warm(port: int, token: str) -> None:
    """One response before measuring (gunicorn warms its workers; this fills the caches)."""
    _paged(port, token, 0, Timings())


def _result(
    flow: str,
    clients: int,
    count: int,
    seconds: float,
    timings: Timings,
    failed: int,
    cpu: list[float],
) -> Result:
    app_ms, db_ms = (round(1000 * c, 2) for c in cpu)
    requests = {k: v for k, v in timings.by_kind.items() if k != "response"}
    request_timings = Timings(by_kind=requests)
    p95_request = request_timings.percentile_ms("*", 95)
    total = app_ms + db_ms
    met = failed == 0 and total <= CPU_TARGET_MS[flow]
    if clients > 1:
        met = met and p95_request < P95_TARGET_MS
    return Result(
        f"respondent:{flow}:{clients}",
        size=count,
        figure=round(total, 2),
        unit="CPU ms per completed response (app + database)",
        target=f"<= {CPU_TARGET_MS[flow]:.0f} ms CPU per response"
        + (f", p95 per request < {P95_TARGET_MS:.0f} ms" if clients > 1 else "")
        + f"; LimeSurvey 6.4: {LIMESURVEY_CPU_MS} ms",
        met=met,
        extra={
            "responses_per_s": round((count - failed) / seconds, 2),
            "response_p50_ms": timings.percentile_ms("response", 50),
            "response_p95_ms": timings.percentile_ms("response", 95),
            "request_p95_ms": p95_request,
            "requests_per_response": REQUESTS[flow],
            "app_cpu_ms": app_ms,
            "db_cpu_ms": db_ms,
            "failed": failed,
        },
    )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def _csrf(page: str) -> str:
    found = TOKEN.search(page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        stored: Any = connection.execute(text("SELECT count(*) FROM responses")).scalar_one()
    engine.dispose()
    return int(stored)
