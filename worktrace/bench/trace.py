"""`worktrace bench trace`: engine time and result sizes of F1+F2 traces, and search time, on PostgreSQL.

For each size it creates the database ``worktrace_bench_trace`` (dropped first, and afterwards unless --keep),
builds the demo province with 30 days of bus trips, and runs the engine for random index cases (engine time
only: no page rendering), then searches. The measuring half runs in a child process pointed at that database.

    worktrace bench trace --workers 160000 1000000
    worktrace bench trace --workers 10000 --deep --cases 5 [--sqlite]

``--deep`` measures the issue 7 §4 worst case instead (depth 5, lookback 28 days, every kind close; then the
default close kinds): engine time, the whole page's time, people reached and whether the work bound cut the
trace. ``--sqlite`` runs on a SQLite file in a fresh directory (kept under ``--var-dir`` for ``--reuse``)
instead of PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

REFERENCE = dt.date(2021, 6, 3)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="worktrace bench trace", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[160_000])
    parser.add_argument("--trip-days", type=int, default=30)
    parser.add_argument("--trips-per-day", type=int, default=2)
    parser.add_argument("--cases", type=int, default=100, help="random index cases (100)")
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--search-only", action="store_true", help="measure search only, no traces")
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="worktrace_bench_trace")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep (implies --keep)")
    parser.add_argument("--deep", action="store_true", help="depth 5, lookback 28, every kind close (issue 7 §4)")
    parser.add_argument("--sqlite", action="store_true", help="measure on SQLite instead of PostgreSQL")
    parser.add_argument("--var-dir", help="SQLite: directory of the database file (kept; reused with --reuse)")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> None:
    options = _parser().parse_args(argv)
    if options.measure_only:
        _measure(options)
        return
    if options.sqlite:
        _main_sqlite(options)
        return
    import psycopg

    for workers in options.workers:
        if not options.reuse:
            with psycopg.connect(f"{options.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{options.database}"')
        env = {
            **os.environ,
            "DATABASE_URL": f"{options.server}/{options.database}",
            "WORKTRACE_VAR_DIR": tempfile.mkdtemp(prefix="bench-trace-"),
            "DJANGO_SETTINGS_MODULE": "worktrace.settings",
        }
        command = [sys.executable, "-m", "worktrace.cli", "bench", "trace", "--measure-only", "--workers", str(workers)]
        command += ["--trip-days", str(options.trip_days), "--trips-per-day", str(options.trips_per_day)]
        command += ["--cases", str(options.cases), "--searches", str(options.searches)]
        command += _flags(options)
        try:
            subprocess.run(command, env=env, check=True)
        finally:
            if not (options.keep or options.reuse):
                with psycopg.connect(f"{options.server}/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')


def _flags(options: argparse.Namespace) -> list[str]:
    return (["--search-only"] if options.search_only else []) + (["--deep"] if options.deep else [])


def _main_sqlite(options: argparse.Namespace) -> None:
    """The same measurement on a SQLite file (the embedded default), one province per size."""
    for workers in options.workers:
        var_dir = options.var_dir or tempfile.mkdtemp(prefix="bench-trace-sqlite-")
        if options.var_dir and not options.reuse and os.path.exists(os.path.join(var_dir, "worktrace.sqlite3")):
            raise SystemExit(f"{var_dir} already holds a database: pass --reuse or another --var-dir")
        env = {**os.environ, "WORKTRACE_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "worktrace.settings"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "worktrace.cli", "bench", "trace", "--measure-only", "--workers", str(workers)]
        command += ["--trip-days", str(options.trip_days), "--trips-per-day", str(options.trips_per_day)]
        command += ["--cases", str(options.cases), "--searches", str(options.searches), *_flags(options)]
        subprocess.run(command, env=env, check=True)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _line(label: str, values: list[float], unit: str = "ms") -> str:
    return (
        f"  {label:<34} p50 {_pct(values, 50):>9.1f} {unit}  p95 {_pct(values, 95):>9.1f} {unit}  "
        f"max {max(values):>9.1f} {unit}"
    )


def _trace_cases(label: str, cases: list[int], params, trace_compute, trace_document) -> None:
    engine, documents, f1, f2, monitor, total = [], [], [], [], [], []
    for index_id in cases:
        t0 = time.perf_counter()
        result = trace_compute(index_id=index_id, params=params, today=REFERENCE)
        engine.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        trace_document(result, with_ids=True)
        documents.append((time.perf_counter() - t0) * 1000)
        f1.append(len(result.at_level(1)))
        f2.append(len(result.at_level(2)))
        monitor.append(len(result.at_level(1, close=False)))
        total.append(len(result.contacts))
    print(f"Trace F1+F2, {label}, default rules (lookback 2 days, depth 2):")
    print(_line("engine (SQL + classification)", engine))
    print(_line("result document (names, groups, jobs)", documents))
    for name, values in (("F1", f1), ("F2", f2), ("to monitor", monitor), ("all contacts", total)):
        print(
            f"  size {name:<29} p50 {_pct(values, 50):>9.0f}     p95 {_pct(values, 95):>9.0f}     "
            f"max {max(values):>9.0f}"
        )


def _deep_cases(cases: list[int], params, trace_compute) -> None:
    """The worst case of issue 7 §4, each trace once (no warm-up: each was seconds): the engine alone, then the
    whole trace page (engine, document, kept result, HTML) as a health officer's GET."""
    from django.test import Client

    from worktrace.accounts.models import Grant, Role, User

    officer, _created = User.objects.get_or_create(username="bench-trace-officer")
    Grant.objects.get_or_create(user=officer, role=Role.HEALTH_OFFICER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    query = {
        "reference": REFERENCE.strftime("%d/%m/%Y"),
        "lookback": params.lookback_days,
        "depth": params.depth,
        "close": sorted(params.close_kinds),
        "purpose": "bench",
    }
    kinds = "every kind" if len(params.close_kinds) == 8 else "default kinds"
    print(
        f"Deep trace, {len(cases)} random workers: depth {params.depth}, lookback {params.lookback_days} days, {kinds}:"
    )
    engine, pages = [], []
    for index_id in cases:
        t0 = time.perf_counter()
        result = trace_compute(index_id=index_id, params=params, today=REFERENCE)
        engine.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        response = client.post(f"/truy-vet/{index_id}/", query, follow=True)
        pages.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        levels = " ".join(f"F{level} {len(result.at_level(level))}" for level in result.levels)
        reasons = sum(len(c.reasons) for c in result.contacts.values())
        cut = getattr(result, "cut_after", None)
        state = "complete" if cut is None else f"cut after level {cut}"
        print(
            f"  person {index_id:>7}: engine {engine[-1]:>7.0f} ms, page {pages[-1]:>7.0f} ms, "
            f"{len(result.contacts):>6} people ({levels}), {reasons} reasons, {state}"
        )
    print(_line("engine (SQL + classification)", engine))
    print(_line("page (POST /truy-vet/<id>/ + result, whole)", pages))


def _measure(options: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from worktrace.demo.generator import demo_build, demo_exists
    from worktrace.registry.models import Employment, GroupKind, Membership, MembershipRole, Person
    from worktrace.registry.selectors import people_search
    from worktrace.text import fold
    from worktrace.tracing.engine import ALL_KINDS, TraceParams, trace_compute
    from worktrace.tracing.selectors import trace_document

    workers = options.workers[0]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if demo_exists():
        print(f"\n== reusing the province in the database (asked for {workers:,} workers)")
    else:
        built = demo_build(
            workers=workers,
            seed=2021,
            today=REFERENCE,
            trip_days=options.trip_days,
            trips_per_day=options.trips_per_day,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"\n== {workers:,} workers: {built.people:,} people, {built.groups:,} groups ({built.trips:,} trips), "
            f"{built.memberships:,} memberships; built in {time.perf_counter() - started:.0f} s"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"database size {cursor.fetchone()[0]}")
    else:
        print(f"SQLite file {connection.settings_dict['NAME']}")
    rng = random.Random(4)
    worker_ids = list(Employment.objects.values_list("person_id", flat=True).distinct())
    cases = rng.sample(worker_ids, options.cases)
    if options.deep:
        _deep_cases(cases, TraceParams(REFERENCE, 28, close_kinds=frozenset(ALL_KINDS), depth=5), trace_compute)
        _deep_cases(cases, TraceParams(REFERENCE, 28, depth=5), trace_compute)
        return
    params = TraceParams(reference=REFERENCE)
    for warm in cases[:5] if not options.search_only else []:
        trace_compute(index_id=warm, params=params, today=REFERENCE)
    riders = list(
        Membership.objects.filter(group__kind=GroupKind.TRIP, role=MembershipRole.MEMBER)
        .values_list("person_id", flat=True)
        .distinct()[:50_000]
    )
    riders_sample = rng.sample(riders, options.cases)
    if not options.search_only:
        _trace_cases(f"{options.cases} random workers", cases, params, trace_compute, trace_document)
        _trace_cases(f"{options.cases} random bus riders", riders_sample, params, trace_compute, trace_document)

    people = list(Person.objects.filter(pk__in=rng.sample(worker_ids, options.searches)))
    queries = []
    for i, person in enumerate(people):
        words = fold(person.full_name).split()
        kind = i % 5
        if kind == 0:
            queries.append(" ".join(words))  # the whole name without diacritics
        elif kind == 1:
            queries.append(" ".join(words[-2:]))  # middle and given name
        elif kind == 2:
            queries.append(Employment.objects.filter(person=person).values_list("worker_code", flat=True)[0])
        elif kind == 3:
            queries.append((person.national_id or "000000")[-6:])
        else:
            queries.append(person.phone)
    search = []
    for query in queries:
        t0 = time.perf_counter()
        list(people_search(Person.objects.all(), query, identifier_fragments=True)[:50])
        search.append((time.perf_counter() - t0) * 1000)
    print(f"Search, {len(queries)} queries (whole names, last two words, worker codes, 6 last ID digits, phones):")
    print(_line("first page of 50, ranked", search))
    kinds = ("whole names", "last two words", "worker codes", "6 last ID digits", "phones")
    for kind, label in enumerate(kinds):
        print(_line(f"  {label}", search[kind :: len(kinds)]))
    print(f"  mean {statistics.mean(search):.1f} ms")
