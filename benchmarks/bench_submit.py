"""Submit: completed respondent submissions per second through gunicorn, 50 clients.

Main figure, like for like with the reference (a route that stores one submission per POST):
every respondent has opened its token link's one-page form beforehand (GET /s/<token>/all,
untimed: the session cookie, the CSRF token and the first opening recorded, as a company
does minutes before it submits); the timed run is the submission itself, one POST of every
answer with "submit" per respondent, which stores the response (token check, CSRF, exactly
once, answers, rollups, rate limit) and answers 302 to the thank-you page (not fetched: the
reference has no such page). Reference: benchmarks.reference_app, one POST per submission
inserting the same rows with one executemany, served by the same `gunicorn -w 2`. Every
respondent comes from its own loopback address, with rate limiting on as in production.

Runs: the reference and the app closed-loop (50 clients, no pause: throughput, and the CPU
that gunicorn's workers and PostgreSQL's backends spent per submission), in turn for
BENCH_SUBMIT_ROUNDS rounds (5) with both servers up, judged on the round of median ratio (the
machine's speed drifts by tens of percent within a minute); both paced at the
target rate (half the reference's closed-loop rate) from 50 clients, for the p95 target
(closed-loop latency is only queueing: 50 clients over the rate); the form's opening and the
submission together (GET + POST) and the paged flow (intro, 5 parts GET+POST, review,
submit, thanks) as extra lines. See benchmarks/README.md for how the figures are judged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from subprocess import Popen
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks.harness import Result, app_for, postgres_database
from benchmarks.http_load import (
    Browser,
    Timings,
    run_closed,
    run_paced,
    serve,
    server_cpu_seconds,
    source_address,
)

BATTERY = "uppfoljning-foretagsbesok"
CLIENTS = 50
PAGES = [
    {"BESOK_VART_TIDEN": "5", "BESOK_LYSSNADE": "4", "BESOK_FORBEREDDA": "5"},
    {"HJALP_FICK": "ja", "HJALP_VIDARE": "natverk"},
    {"NPS_BESOK": "8"},
    {"NKI_HELHET": "5", "NKI_FORVANTAN": "4", "NKI_IDEAL": "4"},
    {"KOMMENTAR": "Bra besök, tack!"},
]
ANSWERS = {key: value for page in PAGES for key, value in page.items()}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TARGET_SHARE, TARGET_P95_MS = 0.5, 150.0
#: Closed-loop rounds of the reference and the app, in turn (the machine's speed drifts).
ROUNDS = int(os.environ.get("BENCH_SUBMIT_ROUNDS", "5"))


def _invitations(url: str, count: int) -> tuple[int, list[str]]:
    """Create a survey of the follow-up battery and `count` invitations; return the tokens."""
    import random
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from survey import orgnr
    from survey.extensions import db
    from survey.models import Company, Survey
    from survey.services.batteries.batteries import get_version
    from survey.services.surveys.invitations import create_invitation

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


def _open(
    port: int, token: str, number: int, timings: Timings | None = None
) -> tuple[Browser, str]:
    """Open a respondent's one-page form (timed when given timings); its browser and token."""
    browser = Browser(port, source_address(number))
    status, _, page = browser.request("GET", f"/s/{token}/all", None, timings or Timings(), "get")
    _expect(status == 200, f"form page answered {status}")
    return browser, _csrf(page)


def _post(browser: Browser, token: str, csrf: str, timings: Timings) -> None:
    """Submit every answer of an opened form in one POST."""
    form = {**ANSWERS, "csrf_token": csrf, "action": "submit"}
    status, location, _ = browser.request("POST", f"/s/{token}/all", form, timings, "post")
    _expect(status == 302 and location.endswith("/thanks"), f"submit answered {status}")


def _submissions(port: int, tokens: list[str], offset: int) -> list:
    """Open every respondent's form (50 at a time, untimed); return their submit jobs."""
    opened: list[tuple[Browser, str] | None] = [None] * len(tokens)

    def opener(n: int, token: str) -> Callable[[Timings], None]:
        def job(_timings: Timings) -> None:
            opened[n] = _open(port, token, offset + n)

        return job

    _, _, failed = run_closed([opener(n, t) for n, t in enumerate(tokens)], CLIENTS)
    _expect(failed == 0, f"{failed} forms did not open")
    return [
        lambda timings, t=t, o=o: _post(o[0], t, o[1], timings)
        for t, o in zip(tokens, opened, strict=True)
    ]


def _one_page(port: int, token: str, number: int, timings: Timings) -> None:
    """One respondent: GET the one-page form, POST every answer with submit."""
    browser, csrf = _open(port, token, number, timings)
    _post(browser, token, csrf, timings)


def _multi_page(port: int, token: str, number: int, timings: Timings) -> None:
    """One respondent through the paged flow: intro, pages, review, submit, thank-you page."""
    browser = Browser(port, source_address(number))
    base = f"/s/{token}"
    browser.request("GET", base, None, timings, "intro")
    for page_number, answers in enumerate(PAGES, start=1):
        path = f"{base}/{page_number}"
        _, _, page = browser.request("GET", path, None, timings, "page GET")
        form = {**answers, "csrf_token": _csrf(page), "action": "next"}
        status, _, _ = browser.request("POST", path, form, timings, "page POST")
        _expect(status == 302, f"page {page_number} answered {status}")
    _, _, review = browser.request("GET", f"{base}/review", None, timings, "review GET")
    form = {"csrf_token": _csrf(review)}
    status, location, _ = browser.request("POST", f"{base}/review", form, timings, "submit POST")
    _expect(status == 302 and location.endswith("/thanks"), f"submit answered {status}")
    status, _, _ = browser.request("GET", location, None, timings, "thanks GET")
    _expect(status == 200, f"thank-you page answered {status}")


def _reference(port: int, version_id: int, number: int, timings: Timings) -> None:
    browser = Browser(port, source_address(number))
    status, _, _ = browser.request("POST", f"/submit/{version_id}", ANSWERS, timings, "post")
    _expect(status == 200, f"reference answered {status}")


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def _csrf(page: str) -> str:
    found = TOKEN.search(page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def run() -> list[Result]:
    """Serve the reference and the app with gunicorn; load them closed-loop and paced."""
    count = int(os.environ.get("BENCH_SUBMITS", "500"))
    multi = int(os.environ.get("BENCH_SUBMITS_MULTI", "100"))
    with postgres_database("submit") as url:
        database = make_url(url).database
        version_id, tokens = _invitations(url, (ROUNDS + 3) * count + multi)
        batches = [tokens[i * count : (i + 1) * count] for i in range(ROUNDS + 3)]

        def reference(n: int) -> Callable[[Timings], None]:
            return lambda timings: _reference(ports["ref"], version_id, n, timings)

        ports: dict[str, int] = {}
        with (
            serve("benchmarks.reference_app:app", url, ports, "ref") as ref_server,
            serve("wsgi:app", url, ports, "app") as server,
        ):
            port, rounds = ports["app"], []
            for r in range(ROUNDS):  # in turn, so both meet the machine at the same speed
                ref = _closed(
                    [reference(r * count + n) for n in range(count)], ref_server, database
                )
                ours = _closed(_submissions(port, batches[r], r * count), server, database)
                rounds.append((ours, ref))
            ours, ref = sorted(rounds, key=lambda pair: pair[0]["rate"] / pair[1]["rate"])[
                len(rounds) // 2
            ]  # the median round
            rate = ref["rate"] * TARGET_SHARE  # the target rate, offered in the paced runs
            offset = ROUNDS * count
            paced = run_paced(_submissions(port, batches[ROUNDS], offset), CLIENTS, rate)
            references = [reference(offset + n) for n in range(count)]
            ref_paced = run_paced(references, CLIENTS, rate)
            half = ours["rate"] / 2  # below the app's own capacity: latency without a queue
            offset += count
            unsaturated = run_paced(_submissions(port, batches[ROUNDS + 1], offset), CLIENTS, half)
            offset += count
            both = _closed(_jobs(_one_page, port, batches[ROUNDS + 2], offset), server, database)
            offset += count
            flow = _jobs(_multi_page, port, tokens[offset:], offset)
            multi_run = run_closed(flow, CLIENTS)
        stored = _count(url) - (ROUNDS + 1) * count  # the reference's rows are there too
    checks = {"stored": stored, "expected": (ROUNDS + 3) * count + multi}
    ratios = [round(o["rate"] / r["rate"], 4) for o, r in rounds]
    return [
        _closed_result(count, ours, ref, paced, checks, ratios),
        _paced_result(count, rate, paced, ref_paced),
        _unsaturated_result(count, half, unsaturated),
        _both_result(count, both, ref),
        _multi_result(multi, multi_run, ref["rate"]),
    ]


def _closed(jobs: list, server: Popen, database: str) -> dict[str, Any]:
    """Run jobs closed-loop; return the rate, timings, failures and CPU per submission."""
    before = server_cpu_seconds(server.pid, database)
    seconds, timings, failed = run_closed(jobs, CLIENTS)
    after = server_cpu_seconds(server.pid, database)
    app, db = ((b - a) / len(jobs) for a, b in zip(before, after, strict=True))
    rate = (len(jobs) - failed) / seconds
    return {"rate": rate, "timings": timings, "failed": failed, "cpu": (app, db)}


def _closed_result(
    count: int, ours: dict, ref: dict, paced: tuple, checks: dict[str, int], ratios: list
) -> Result:
    timings, ref_timings = ours["timings"], ref["timings"]
    paced_p95 = paced[1].percentile_ms("post", 95)
    ratio = ours["rate"] / ref["rate"]
    return Result(
        "submit",
        size=count,
        figure=ours["rate"],
        reference=ref["rate"],
        unit="submissions/s",
        ratio=ratio,
        target="rate >= 50 % of the reference's (closed loop, 50 clients; the median of "
        f"{len(ratios)} rounds taken in turn); p95 < 150 ms with 50 clients at that rate "
        "(submit:paced)",
        met=ours["failed"] == 0
        and paced[2] == 0
        and checks["stored"] == checks["expected"]
        and ratio >= TARGET_SHARE
        and paced_p95 < TARGET_P95_MS,
        extra={
            **_latencies(timings, ("post",)),
            "ref_post_p50_ms": ref_timings.percentile_ms("post", 50),
            "ref_post_p95_ms": ref_timings.percentile_ms("post", 95),
            "paced_post_p95_ms": paced_p95,
            "app_cpu_ms": round(1000 * ours["cpu"][0], 2),
            "db_cpu_ms": round(1000 * ours["cpu"][1], 2),
            "ref_app_cpu_ms": round(1000 * ref["cpu"][0], 2),
            "ref_db_cpu_ms": round(1000 * ref["cpu"][1], 2),
            "round_ratios": ratios,
            "failed": ours["failed"],
            **checks,
        },
    )


def _paced_result(count: int, rate: float, paced: tuple, ref_paced: tuple) -> Result:
    (_, timings, failed), (_, ref_timings, _) = paced, ref_paced
    post_p95, ref_p95 = timings.percentile_ms("post", 95), ref_timings.percentile_ms("post", 95)
    return Result(
        "submit:paced",
        size=count,
        figure=post_p95,
        reference=ref_p95,
        unit="ms p95 (submit POST)",
        ratio=post_p95 / ref_p95,
        target=f"p95 < 150 ms, 50 clients offering the target rate ({rate:.1f} submissions/s)",
        met=failed == 0 and post_p95 < TARGET_P95_MS,
        extra={
            "rate_per_s": round(rate, 2),
            **_latencies(timings, ("post",)),
            "ref_post_p50_ms": ref_timings.percentile_ms("post", 50),
            "failed": failed,
        },
    )


def _unsaturated_result(count: int, rate: float, run: tuple) -> Result:
    _, timings, failed = run
    return Result(
        "submit:paced-half",
        size=count,
        figure=timings.percentile_ms("post", 95),
        unit="ms p95 (submit POST)",
        target=f"information: 50 clients offering half the app's own rate ({rate:.1f}/s)",
        extra={"rate_per_s": round(rate, 2), **_latencies(timings, ("post",)), "failed": failed},
    )


def _both_result(count: int, both: dict, ref: dict) -> Result:
    ratio = both["rate"] / ref["rate"]
    return Result(
        "submit:open+submit",
        size=count,
        figure=both["rate"],
        reference=ref["rate"],
        unit="submissions/s",
        ratio=ratio,
        target="information: the form's opening (GET) and the submission (POST) together, "
        "closed loop, against the reference's POST alone",
        extra={
            **_latencies(both["timings"], ("get", "post")),
            "app_cpu_ms": round(1000 * both["cpu"][0], 2),
            "db_cpu_ms": round(1000 * both["cpu"][1], 2),
            "requests_per_submission": 2,
            "failed": both["failed"],
        },
    )


def _multi_result(multi: int, run: tuple, ref_rate: float) -> Result:
    seconds, timings, failed = run
    kinds = ("intro", "page GET", "page POST", "review GET", "submit POST", "thanks GET")
    figure = (multi - failed) / seconds
    return Result(
        "submit:multi-page",
        size=multi,
        figure=figure,
        reference=ref_rate,
        unit="submissions/s",
        ratio=figure / ref_rate,
        target="information: the paged flow, 14 requests per submission",
        extra={**_latencies(timings, kinds), "failed": failed},
    )


def _jobs(flow, port: int, tokens: list[str], offset: int) -> list:  # noqa: ANN001
    return [
        lambda timings, t=t, n=n: flow(port, t, offset + n, timings) for n, t in enumerate(tokens)
    ]


def _latencies(timings: Timings, kinds: tuple[str, ...]) -> dict[str, float]:
    found: dict[str, float] = {}
    for kind in kinds:
        name = kind.replace(" ", "_").lower()
        found[f"{name}_p50_ms"] = timings.percentile_ms(kind, 50)
        found[f"{name}_p95_ms"] = timings.percentile_ms(kind, 95)
    return found


def _count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM responses")).scalar_one()
    engine.dispose()
    return stored
