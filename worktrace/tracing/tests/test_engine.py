"""The engine on one hand-made province where each rule of DOMAIN.md has a person that shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from worktrace.registry.models import Company, Group, Membership, MembershipRole, Person, Zone, ZoneKind
from worktrace.tracing.engine import DEFAULT_CLOSE, TraceParams, trace_compute
from worktrace.tracing.tests.oracle import TZ

DAY0 = dt.date(2021, 6, 10)
T0 = dt.datetime.combine(DAY0, dt.time(0), tzinfo=TZ)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


@pytest.fixture
def town(db):
    zone = Zone.objects.create(code="Z", name="Z", kind=ZoneKind.INDUSTRIAL_ZONE, province_id=24)
    a_co = Company.objects.create(tax_code="2400000001", name="A", zone=zone)
    b_co = Company.objects.create(tax_code="2400000002", name="B", zone=zone)
    people = {n: Person.objects.create(full_name=n.upper()) for n in "abcdefhijklmx"}

    def group(kind, name, parent=None, company=None):
        return Group.objects.create(kind=kind, name=name, key=name, parent=parent, company=company)

    w1 = group("workshop", "W1", company=a_co)
    t1 = group("team", "T1", w1, a_co)
    w3 = group("workshop", "W3", company=b_co)
    t3 = group("team", "T3", w3, b_co)
    h1 = group("boarding_house", "H1")
    r1, r2, r3 = group("room", "R1", h1), group("room", "R2", h1), group("room", "R3")
    bus = group("vehicle", "V1", company=a_co)
    canteen = group("location", "L1")

    def join(p, g, start, end=None, role=MembershipRole.MEMBER):
        Membership.objects.create(person=people[p], group=g, start=start, end=end, role=role)

    join("a", t1, at(-100))
    join("a", w1, at(-100))
    join("c", w1, at(-100))  # same workshop only: to monitor
    join("b", t1, at(-1))  # joined a's team a day before the reference
    join("b", t3, at(-100))  # second job at company B
    join("h", t3, at(-100))  # b's team mate at B: F2
    join("j", t3, at(-100), at(-1.5))  # left B's team before b met a: not F2
    join("a", r1, at(-100))
    join("d", r1, at(-100), at(-1.5))  # moved from a's room to R2 inside the window
    join("d", r2, at(-1.5))
    join("e", r2, at(-100))  # d's new roommate, same boarding house as a: F2, also a wide reason
    join("f", r2, at(-100), at(-3))  # left R2 before the window
    join("i", r3, at(-100), at(-0.5))  # left before h's later contact with b: F3 only from h's first exposure
    join("b", canteen, at(-0.25), at(-0.25) + dt.timedelta(minutes=20))
    join("h", canteen, at(-0.25), at(-0.25) + dt.timedelta(minutes=20))
    join("h", r3, at(-100))  # h's roommate: F3
    join("m", r1, at(-100), role=MembershipRole.CO_RESIDENT)  # non-worker roommate: household
    join("a", bus, at(-100))
    join("x", bus, at(-100), role=MembershipRole.DRIVER)
    join("a", canteen, at(-0.5), at(-0.5) + dt.timedelta(minutes=30))
    join("k", canteen, at(-0.5) + dt.timedelta(minutes=16), at(-0.5) + dt.timedelta(minutes=40))  # 14 min
    join("l", canteen, at(-0.5) + dt.timedelta(minutes=15), at(-0.5) + dt.timedelta(minutes=40))  # 15 min
    return people


def run(town, **kwargs):
    params = TraceParams(reference=DAY0, **kwargs)
    result = trace_compute(index_id=town["a"].pk, params=params, today=DAY0)
    names = {p.pk: name for name, p in town.items()}
    return {names[c.person_id]: c for c in result.contacts.values()}, result


def test_it_finds_f1_f2_and_monitor_with_reasons(town):
    found, result = run(town)
    assert result.window_start == at(-2) and result.window_end == at(1)
    levels = {n: (c.level, c.close) for n, c in found.items()}
    assert levels == {
        "b": (1, True),
        "d": (1, True),
        "m": (1, True),
        "x": (1, True),
        "l": (1, True),
        "h": (2, True),
        "e": (2, True),
        "k": (2, True),
        "c": (1, False),
    }
    assert {(r.kind, r.start, r.end) for r in found["d"].reasons} == {
        ("room", at(-2), at(-1.5)),
        ("boarding_house", at(-2), at(-1.5)),  # from R1 of the house...
        ("boarding_house", at(-1.5), at(1)),  # ...and then from R2 of the same house
    }
    assert {r.kind for r in found["m"].reasons} >= {"household"}
    assert {r.kind for r in found["x"].reasons} == {"vehicle"}
    # e: reached through d in room R2 from the move on, and also a wide contact of a through the house.
    assert {(r.kind, r.via_id, r.start) for r in found["e"].reasons} == {
        ("room", town["d"].pk, at(-1.5)),
        ("boarding_house", town["a"].pk, at(-2)),
    }
    assert {(r.kind, r.via_id, r.start) for r in found["h"].reasons} == {
        ("team", town["b"].pk, at(-1)),
        ("location", town["b"].pk, at(-0.25)),
    }


def test_it_goes_to_depth_three_when_asked(town):
    found, _ = run(town, depth=3)
    assert found["i"].level == 3
    assert [r.via_id for r in found["i"].reasons] == [town["h"].pk]


def test_it_promotes_a_wide_kind_to_close(town):
    found, _ = run(town, close_kinds=DEFAULT_CLOSE | {"workshop"})
    assert (found["c"].level, found["c"].close) == (1, True)


def test_the_window_edges_follow_lookback_and_isolation(town):
    found, _ = run(town)
    assert "f" not in found  # f left the boarding house on day −3, before the window
    found, _ = run(town, lookback_days=4)
    assert (found["f"].level, found["f"].close) == (1, False)
    found, result = run(town, isolated_on=DAY0 - dt.timedelta(days=2))
    assert result.window_end == at(-1)
    assert "b" not in found  # b joined a's team at the very end of the window: [start, end) excludes it


def test_a_check_in_counts_from_fifteen_minutes(town):
    found, _ = run(town)
    assert found["l"].level == 1
    # k overlapped a by 14 minutes only; k met l for 24 minutes after l's exposure: F2 through l.
    assert [(r.kind, r.via_id) for r in found["k"].reasons] == [("location", town["l"].pk)]


def test_it_lists_whole_levels_only_when_the_work_bound_stops_it(town):
    whole, _result = run(town, depth=3)
    assert {c.level for c in whole.values() if c.close} == {1, 2, 3}
    f1 = {town[n].pk for n, c in whole.items() if c.level == 1 and c.close}
    params = TraceParams(reference=DAY0, depth=3)
    by_people = trace_compute(index_id=town["a"].pk, params=params, today=DAY0, max_people=len(f1))
    assert by_people.cut_after == 1  # F0 and F1 already pass the bound: F2 is not expanded
    assert {c.person_id for c in by_people.contacts.values() if c.close} == f1  # F1 listed whole
    assert {c.level for c in by_people.contacts.values()} == {1}
    by_rows = trace_compute(index_id=town["a"].pk, params=params, today=DAY0, max_rows=len(f1) + 2)
    assert by_rows.cut_after is not None and by_rows.cut_after < 3
    assert all(c.level <= by_rows.cut_after for c in by_rows.contacts.values())
    assert trace_compute(index_id=town["a"].pk, params=params, today=DAY0, max_rows=1).cut_after == 0
    assert trace_compute(index_id=town["a"].pk, params=params, today=DAY0).cut_after is None
