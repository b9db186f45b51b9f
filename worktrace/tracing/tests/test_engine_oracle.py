"""The engine against the brute-force oracle on random small provinces (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worktrace.registry.models import Company, Group, Membership, Person, Zone, ZoneKind
from worktrace.tracing.engine import ALL_KINDS, DEFAULT_CLOSE, TraceParams, trace_compute
from worktrace.tracing.tests.oracle import TZ, oracle_trace

REFERENCE = dt.date(2021, 6, 10)
BASE = dt.datetime.combine(REFERENCE, dt.time(0), tzinfo=TZ)

# (name, kind, parent name, company index)
GROUPS = [
    ("W1", "workshop", None, 0),
    ("W2", "workshop", None, 1),
    ("T1", "team", "W1", 0),
    ("T2", "team", "W1", 0),
    ("T3", "team", "W2", 1),
    ("H1", "boarding_house", None, None),
    ("R1", "room", "H1", None),
    ("R2", "room", "H1", None),
    ("H2", "boarding_house", None, None),
    ("R3", "room", "H2", None),
    ("V1", "vehicle", None, 0),
    ("P1", "trip", "V1", 0),
    ("P2", "trip", "V1", 0),
    ("L1", "location", None, None),
    ("HH1", "household", None, None),
]
ROLES = {"room": ["member", "member", "co_resident"], "vehicle": ["member", "driver"], "trip": ["member", "driver"]}


def _random_rows(rng) -> list[tuple]:
    """A dense small province: people, room moves, check-ins around the 15-minute minimum, edges of days."""
    rows = []
    for _ in range(rng.randint(15, 45)):
        person = rng.randrange(8)
        group = rng.randrange(len(GROUPS))
        if GROUPS[group][1] == "location" or rng.random() < 0.2:
            group = next(i for i, g in enumerate(GROUPS) if g[1] == "location")
            start = rng.randint(-3 * 24, 0) * 60 + rng.choice([0, 15, 30, 45])
            rows.append((person, group, 0, start, rng.choice([5, 10, 14, 15, 16, 20, 30, 45, 60, 120])))
            continue
        start = rng.choice([rng.randint(-6, 1) * 1440, rng.randint(-6 * 96, 96) * 15, rng.randint(-6 * 1440, 1440)])
        length = rng.choice([None, None, rng.randint(1, 4 * 1440), rng.choice([15, 60, 720, 1440, 2880])])
        rows.append((person, group, rng.randrange(3), start, length))
    return rows


close_sets = st.one_of(
    st.just(DEFAULT_CLOSE),
    st.just(DEFAULT_CLOSE | {"workshop"}),
    st.just(DEFAULT_CLOSE | {"boarding_house"}),
    st.frozensets(st.sampled_from(ALL_KINDS), min_size=1),
)


def _province(rows):
    zone = Zone.objects.create(code="Z", name="Z", kind=ZoneKind.INDUSTRIAL_ZONE, province_id=24)
    companies = [Company.objects.create(tax_code=f"24000000{i}", name=f"C{i}", zone=zone) for i in range(2)]
    people = Person.objects.bulk_create([Person(full_name=f"P{i}", name_folded=f"p{i}") for i in range(10)])
    groups: dict[str, Group] = {}
    for name, kind, parent, company in GROUPS:
        groups[name] = Group.objects.create(
            kind=kind,
            name=name,
            key=name,
            parent=groups[parent] if parent else None,
            company=companies[company] if company is not None else None,
        )
    ordered = [groups[name] for name, *_ in GROUPS]
    Membership.objects.bulk_create(
        [
            Membership(
                person=people[p],
                group=ordered[g],
                role=ROLES.get(ordered[g].kind, ["member"])[r % len(ROLES.get(ordered[g].kind, ["member"]))],
                start=BASE + dt.timedelta(minutes=start),
                end=None if length is None else BASE + dt.timedelta(minutes=start + length),
            )
            for p, g, r, start, length in rows
        ]
    )
    return people


def _engine_view(result):
    return {
        c.person_id: (
            c.level,
            c.close,
            frozenset((r.kind, r.group_id, r.via_id, r.start, r.end) for r in c.reasons),
        )
        for c in result.contacts.values()
    }


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rng=st.randoms(use_true_random=False),
    pick=st.integers(min_value=0, max_value=44),
    lookback=st.integers(min_value=0, max_value=4),
    isolated=st.one_of(st.none(), st.integers(min_value=-3, max_value=1)),
    today_offset=st.integers(min_value=-2, max_value=2),
    close=close_sets,
    depth=st.integers(min_value=1, max_value=3),
)
def test_it_agrees_with_the_brute_force_oracle(rng, pick, lookback, isolated, today_offset, close, depth):
    rows = _random_rows(rng)
    with transaction.atomic():
        people = _province(rows)
        index = rows[pick % len(rows)][0]  # someone with at least one membership
        isolated_on = None if isolated is None else REFERENCE + dt.timedelta(days=isolated)
        today = REFERENCE + dt.timedelta(days=today_offset)
        params = TraceParams(
            reference=REFERENCE, lookback_days=lookback, isolated_on=isolated_on, close_kinds=close, depth=depth
        )
        got = _engine_view(trace_compute(index_id=people[index].pk, params=params, today=today))
        expected = oracle_trace(
            index_id=people[index].pk,
            reference=REFERENCE,
            lookback=lookback,
            isolated_on=isolated_on,
            today=today,
            close=close,
            depth=depth,
            min_overlap=dt.timedelta(minutes=15),
        )
        assert got == expected
        transaction.set_rollback(True)
