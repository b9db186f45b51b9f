"""A brute-force tracer written straight from DOMAIN.md, sharing no code with the engine.

Every pair of memberships of every group is compared in Python; levels are built one by one. Slow and obviously
right, for small random provinces only.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from worktrace.registry.models import Membership

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FAR = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def window(reference: dt.date, lookback: int, isolated_on: dt.date | None, today: dt.date):
    last = isolated_on if isolated_on is not None else min(reference, today)
    start = dt.datetime.combine(reference - dt.timedelta(days=lookback), dt.time(0), tzinfo=TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    return start, max(start, end)


def _effective_memberships():
    """(person, group, kind, role, start, end); living in a room is also living in its boarding house."""
    out = []
    for m in Membership.objects.select_related("group"):
        end = m.end or FAR
        out.append((m.person_id, m.group_id, m.group.kind, m.role, m.start, end))
        if m.group.kind == "room" and m.group.parent_id is not None:
            out.append((m.person_id, m.group.parent_id, "boarding_house", m.role, m.start, end))
    return out


def _contacts(memberships, person, since, until, kinds, min_overlap):
    """Every (other, reason) for person in [since, until) restricted to kinds."""
    found = []
    mine = [m for m in memberships if m[0] == person]
    for a in mine:
        for b in memberships:
            if b[1] != a[1] or b[0] == person:
                continue
            kind = a[2]
            if kind == "room" and "co_resident" in (a[3], b[3]):
                kind = "household"
            if kind not in kinds:
                continue
            start = max(a[4], b[4], since)
            end = min(a[5], b[5], until)
            if start >= end:
                continue
            if kind == "location" and end - start < min_overlap:
                continue
            found.append((b[0], (kind, a[1], person, start, end)))
    return found


def oracle_trace(*, index_id, reference, lookback, isolated_on, today, close, depth, min_overlap):
    """{person: (level, close, frozenset of (kind, group, via, start, end))}."""
    all_kinds = {"team", "workshop", "room", "boarding_house", "vehicle", "trip", "location", "household"}
    start, end = window(reference, lookback, isolated_on, today)
    memberships = _effective_memberships()
    result: dict[int, tuple[int, bool, set]] = {}
    if start >= end:
        return {}
    first = _contacts(memberships, index_id, start, end, all_kinds, min_overlap)
    levels: dict[int, int] = {index_id: 0}
    reasons: dict[int, set] = {}
    exposure: dict[int, dt.datetime] = {}
    for other, reason in first:
        if reason[0] in close:
            levels[other] = 1
            reasons.setdefault(other, set()).add(reason)
    for person in levels:
        if person != index_id:
            exposure[person] = min(r[3] for r in reasons[person])
    previous = [p for p, lv in levels.items() if lv == 1]
    for level in range(2, depth + 1):
        new: dict[int, set] = {}
        for p in previous:
            for other, reason in _contacts(memberships, p, exposure[p], end, close, min_overlap):
                if other in levels:
                    continue
                new.setdefault(other, set()).add(reason)
        for other, rs in new.items():
            levels[other] = level
            reasons[other] = rs
            exposure[other] = min(r[3] for r in rs)
        previous = list(new)
    for person, level in levels.items():
        if person != index_id:
            result[person] = (level, True, set(reasons[person]))
    for other, reason in first:
        if reason[0] in close or other == index_id:
            continue
        if other in result:
            result[other][2].add(reason)
        else:
            result[other] = (1, False, {reason})
    return {p: (lv, c, frozenset(rs)) for p, (lv, c, rs) in result.items()}
