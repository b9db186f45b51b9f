"""The trace engine: F0 → F1 → F2 … by set-based SQL over group memberships (DOMAIN.md, docs/tracing.md).

One level is two queries whatever the number of people in it: the frontier (people of the previous level, each
with the instant from which their contacts count) is passed to the database as an array (PostgreSQL ``unnest``)
or a JSON document (SQLite ``json_each``), joined to their memberships, and from there to every other membership
of the same group that overlaps both it and the frontier person's interval. A second query does the same through
boarding houses, which people share by living in rooms of the same house. Python then only classifies rows.

Rules, as implemented:
- window = [midnight of reference − lookback, midnight after the day F0 was isolated), isolation defaulting to
  the earlier of the reference date and today;
- a contact is an overlap of two memberships of one group inside the interval considered; a room contact where
  either side is a non-worker co-resident is kind ``household``; a location contact counts only when the overlap
  lasts at least ``min_overlap``;
- F1 = close contacts of F0 in the window; F(k) = close contacts of an F(k−1) person p in [p's first exposure,
  window end), never someone already listed at a lower level; "to monitor" = wide contacts of F0 reached by no
  close chain (level 1, not expanded). Every reason that reached a person is kept.

Work is bounded (issue 7 §4): a trace reads at most ``MAX_ROWS`` contact rows and lists at most ``MAX_PEOPLE``
close contacts. A level (F2 or further) that would pass either bound is left out whole, never half-listed, and
the result says after which level it stopped (``cut_after``) so the page can say how to narrow the trace.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from worktrace.registry.models import GroupKind, Membership

ALL_KINDS: tuple[str, ...] = (
    GroupKind.TEAM,
    GroupKind.WORKSHOP,
    GroupKind.ROOM,
    GroupKind.BOARDING_HOUSE,
    GroupKind.VEHICLE,
    GroupKind.TRIP,
    GroupKind.LOCATION,
    GroupKind.HOUSEHOLD,
)
DEFAULT_CLOSE: frozenset[str] = frozenset(
    {GroupKind.TEAM, GroupKind.ROOM, GroupKind.VEHICLE, GroupKind.TRIP, GroupKind.LOCATION, GroupKind.HOUSEHOLD}
)
DEFAULT_LOOKBACK_DAYS = 2
DEFAULT_DEPTH = 2
DEFAULT_MIN_OVERLAP = dt.timedelta(minutes=15)
MAX_DEPTH = 5
# A depth-5, 28-day, every-kind trace reached the whole 10,000-worker demo through two million contact rows
# (14-30 s on SQLite, docs/performance.md), and a page of 150,000 reasons takes tens of seconds more to build
# (~0.1 ms a reason). A default trace reaches well under a thousand people through at most ~13,000 rows; an
# officer cannot call more than a couple of thousand people about one case anyway.
MAX_ROWS = 30_000
MAX_PEOPLE = 2_000

UTC = dt.UTC


@dataclass(frozen=True)
class TraceParams:
    reference: dt.date
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    isolated_on: dt.date | None = None
    close_kinds: frozenset[str] = DEFAULT_CLOSE
    depth: int = DEFAULT_DEPTH
    min_overlap: dt.timedelta = DEFAULT_MIN_OVERLAP

    def window(self, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
        tz = ZoneInfo(settings.TIME_ZONE)
        last_day = self.isolated_on or min(self.reference, today)
        start = dt.datetime.combine(self.reference - dt.timedelta(days=self.lookback_days), dt.time(0), tzinfo=tz)
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        return start, max(start, end)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for stored results and audit entries."""
        return {
            "reference": self.reference.isoformat(),
            "lookback_days": self.lookback_days,
            "isolated_on": self.isolated_on.isoformat() if self.isolated_on else None,
            "close": sorted(self.close_kinds),
            "depth": self.depth,
            "min_overlap_minutes": int(self.min_overlap.total_seconds() // 60),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TraceParams:
        return cls(
            reference=dt.date.fromisoformat(data["reference"]),
            lookback_days=data["lookback_days"],
            isolated_on=dt.date.fromisoformat(data["isolated_on"]) if data["isolated_on"] else None,
            close_kinds=frozenset(data["close"]),
            depth=data["depth"],
            min_overlap=dt.timedelta(minutes=data["min_overlap_minutes"]),
        )


@dataclass(frozen=True)
class Reason:
    kind: str
    group_id: int
    via_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass
class Contact:
    person_id: int
    level: int
    close: bool
    reasons: list[Reason] = field(default_factory=list)

    @property
    def first_exposure(self) -> dt.datetime:
        return min(r.start for r in self.reasons)


@dataclass
class TraceResult:
    index_id: int
    params: TraceParams
    window_start: dt.datetime
    window_end: dt.datetime
    contacts: dict[int, Contact]
    queries: int = 0
    seconds: float = 0.0
    cut_after: int | None = None  # the last level listed whole when the work bound stopped the trace

    def at_level(self, level: int, *, close: bool = True) -> list[Contact]:
        return [c for c in self.contacts.values() if c.level == level and c.close == close]

    @property
    def levels(self) -> list[int]:
        return sorted({c.level for c in self.contacts.values() if c.close})


# Group kinds whose memberships a requested (reported) kind reads: household contacts come from household
# groups and from rooms where one side is a co-resident.
_SOURCE_KINDS: dict[str, set[str]] = {
    GroupKind.HOUSEHOLD: {GroupKind.HOUSEHOLD, GroupKind.ROOM},
}


def _source_kinds(kinds: frozenset[str] | set[str]) -> list[str]:
    wanted: set[str] = set()
    for kind in kinds:
        if kind != GroupKind.BOARDING_HOUSE:
            wanted |= _SOURCE_KINDS.get(kind, {kind})
    return sorted(wanted)


class _Sql:
    """The vendor differences: how the frontier is passed, and GREATEST/LEAST over possibly open ends."""

    FAR = "9999-12-31 23:59:59"

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        self._parsed: dict[object, dt.datetime] = {}

    def frontier(self, frontier: dict[int, dt.datetime]) -> tuple[str, list]:
        ids = list(frontier)
        if self.pg:
            return "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[]) AS f(pid, lo)", [
                ids,
                [frontier[i] for i in ids],
            ]
        doc = json.dumps([[i, self.param(frontier[i])] for i in ids])
        return (
            "SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS pid, json_extract(value, '$[1]') AS lo "
            "FROM json_each(%s)",
            [doc],
        )

    def param(self, value: dt.datetime) -> Any:
        return value if self.pg else connection.ops.adapt_datetimefield_value(value)

    def greatest(self, *terms: str) -> str:
        return f"GREATEST({', '.join(terms)})" if self.pg else f"max({', '.join(terms)})"

    def least_open(self, *terms: str) -> str:
        """LEAST where NULL means open-ended (PostgreSQL's LEAST skips NULLs; SQLite's min() does not)."""
        if self.pg:
            return f"LEAST({', '.join(terms)})"
        return f"min({', '.join(f'coalesce({t}, {self.FAR!r})' for t in terms)})"

    def epoch(self, expression: str) -> str:
        """Instants travel as epoch seconds on PostgreSQL: a float converts far faster than a timestamptz."""
        return f"EXTRACT(EPOCH FROM {expression})::float8" if self.pg else expression

    def exclude(self, column: str, known: Iterable[int]) -> tuple[str, list]:
        ids = list(known)
        if not ids:
            return "", []
        if self.pg:
            return f"AND {column} <> ALL(%s::bigint[])", [ids]
        return f"AND {column} NOT IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]

    def when(self, value: object) -> dt.datetime:
        parsed = self._parsed.get(value)
        if parsed is None:
            if isinstance(value, float):
                parsed = dt.datetime.fromtimestamp(value, UTC)
            else:
                parsed = dt.datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
            self._parsed[value] = parsed
        return parsed


def _tables() -> tuple[str, str]:
    from worktrace.registry.models import Group

    q = connection.ops.quote_name
    return q(Membership._meta.db_table), q(Group._meta.db_table)


def _contact_rows(
    sql: _Sql,
    frontier: dict[int, dt.datetime],
    window_end: dt.datetime,
    kinds: set[str] | frozenset[str],
    known: Iterable[int] = (),
    limit: int | None = None,
) -> list[tuple]:
    """(frontier person, other person, group, reported kind, overlap start, overlap end) rows.

    With ``limit``, at most ``limit + 1`` rows are read: more than ``limit`` tells the caller the bound was passed
    without the database producing (and Python converting) every row.

    People in ``known`` (already placed at a lower level) are left out by the database. CROSS JOIN fixes the join
    order on SQLite (frontier → their memberships → group → co-members), which its planner otherwise starts from
    every group of the kinds asked for; PostgreSQL plans it as an inner join.
    """
    membership, group = _tables()
    source, params = sql.frontier(frontier)
    exclude, exclude_params = sql.exclude("m2.person_id", known)
    end = '"end"'
    rows: list[tuple] = []
    group_kinds = _source_kinds(kinds)
    we = sql.param(window_end)

    def bounded() -> str:
        return "" if limit is None else f"LIMIT {max(0, limit - len(rows)) + 1:d}"

    with connection.cursor() as cursor:
        if group_kinds:
            lo = sql.greatest("m1.start", "m2.start", "f.lo")
            hi = sql.least_open(f"m1.{end}", f"m2.{end}", "%s")
            placeholders = ", ".join(["%s"] * len(group_kinds))
            cursor.execute(
                f"""
                SELECT f.pid, m2.person_id, g.id,
                       CASE WHEN g.kind = 'room' AND 'co_resident' IN (m1.role, m2.role) THEN 'household'
                            ELSE g.kind END,
                       {sql.epoch(lo)}, {sql.epoch(hi)}
                FROM ({source}) f
                CROSS JOIN {membership} m1
                CROSS JOIN {group} g
                CROSS JOIN {membership} m2
                WHERE m1.person_id = f.pid AND g.id = m1.group_id AND m2.group_id = m1.group_id
                  AND g.kind IN ({placeholders})
                  AND m1.start < %s AND (m1.{end} IS NULL OR m1.{end} > f.lo)
                  AND m2.person_id <> f.pid {exclude}
                  AND m2.start < %s AND (m2.{end} IS NULL OR m2.{end} > f.lo)
                  AND {lo} < {hi}
                {bounded()}
                """,
                [we, *params, *group_kinds, we, *exclude_params, we, we],
            )
            rows.extend(cursor.fetchall())
        if GroupKind.BOARDING_HOUSE in kinds and (limit is None or len(rows) <= limit):
            lo = sql.greatest("mine.start", "m2.start", "mine.lo")
            hi = sql.least_open(f"mine.{end}", f"m2.{end}", "%s")
            cursor.execute(
                f"""
                WITH mine AS (
                    SELECT f.pid, f.lo, m.start, m.{end},
                           CASE WHEN g.kind = 'room' THEN g.parent_id ELSE g.id END AS hid
                    FROM ({source}) f
                    CROSS JOIN {membership} m
                    CROSS JOIN {group} g
                    WHERE m.person_id = f.pid AND g.id = m.group_id
                      AND (g.kind = 'boarding_house' OR (g.kind = 'room' AND g.parent_id IS NOT NULL))
                      AND m.start < %s AND (m.{end} IS NULL OR m.{end} > f.lo)
                ),
                theirs AS (
                    SELECT g.id AS gid, g.id AS hid FROM {group} g
                    WHERE g.kind = 'boarding_house' AND g.id IN (SELECT hid FROM mine)
                    UNION ALL
                    SELECT g.id, g.parent_id FROM {group} g
                    WHERE g.kind = 'room' AND g.parent_id IN (SELECT hid FROM mine)
                )
                SELECT mine.pid, m2.person_id, mine.hid, 'boarding_house', {sql.epoch(lo)}, {sql.epoch(hi)}
                FROM mine
                CROSS JOIN theirs
                CROSS JOIN {membership} m2
                WHERE theirs.hid = mine.hid AND m2.group_id = theirs.gid
                  AND m2.person_id <> mine.pid {exclude}
                  AND m2.start < %s AND (m2.{end} IS NULL OR m2.{end} > mine.lo)
                  AND {lo} < {hi}
                {bounded()}
                """,
                [*params, we, we, *exclude_params, we, we],
            )
            rows.extend(cursor.fetchall())
    return rows


def _reasons(
    sql: _Sql, rows: list[tuple], kinds: set[str] | frozenset[str], min_overlap: dt.timedelta
) -> dict[int, set[Reason]]:
    """Reasons by reached person, keeping only the kinds asked for and location stays long enough."""
    found: dict[int, set[Reason]] = defaultdict(set)
    when = sql.when
    for via, other, group_id, kind, start, end in rows:
        if kind not in kinds:
            continue
        start, end = when(start), when(end)
        if kind == GroupKind.LOCATION and end - start < min_overlap:
            continue
        found[other].add(Reason(kind, group_id, via, start, end))
    return found


def trace_compute(
    *, index_id: int, params: TraceParams, today: dt.date, max_rows: int | None = None, max_people: int | None = None
) -> TraceResult:
    """Run the trace for one index person. Reads only; auditing and saving are the caller's (services.py).

    ``max_rows``/``max_people`` default to the module's ``MAX_ROWS``/``MAX_PEOPLE``, read at call time.
    """
    started = time.perf_counter()
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_people = MAX_PEOPLE if max_people is None else max_people
    window_start, window_end = params.window(today)
    sql = _Sql()
    close = frozenset(params.close_kinds)
    wide = frozenset(ALL_KINDS) - close
    contacts: dict[int, Contact] = {}
    queries = 0
    if window_start >= window_end:
        return TraceResult(index_id, params, window_start, window_end, contacts)

    def result(cut_after: int | None) -> TraceResult:
        return TraceResult(
            index_id,
            params,
            window_start,
            window_end,
            contacts,
            queries=queries,
            seconds=time.perf_counter() - started,
            cut_after=cut_after,
        )

    rows = _contact_rows(sql, {index_id: window_start}, window_end, close | wide, limit=max_rows)
    queries += 2 if wide & {GroupKind.BOARDING_HOUSE} or close & {GroupKind.BOARDING_HOUSE} else 1
    if len(rows) > max_rows:
        return result(0)
    budget = max_rows - len(rows)
    first = _reasons(sql, rows, close | wide, params.min_overlap)
    wide_reasons: dict[int, list[Reason]] = {}
    frontier: dict[int, dt.datetime] = {}
    for person, reasons in first.items():
        close_reasons = sorted((r for r in reasons if r.kind in close), key=_reason_order)
        far = sorted((r for r in reasons if r.kind not in close), key=_reason_order)
        if close_reasons:
            contacts[person] = Contact(person, 1, True, close_reasons)
            frontier[person] = close_reasons[0].start
        if far:
            wide_reasons[person] = far

    cut_after: int | None = None
    known = {index_id, *contacts}
    for level in range(2, min(params.depth, MAX_DEPTH) + 1):
        if not frontier:
            break
        if len(known) - 1 >= max_people:  # no room left for another level
            cut_after = level - 1
            break
        rows = _contact_rows(sql, frontier, window_end, close, known, limit=budget)
        queries += 2 if GroupKind.BOARDING_HOUSE in close else 1
        if len(rows) > budget:
            cut_after = level - 1
            break
        budget -= len(rows)
        reached = _reasons(sql, rows, close, params.min_overlap)
        if len(known) - 1 + len(reached) > max_people:
            cut_after = level - 1
            break
        frontier = {}
        for person, found in reached.items():
            ordered = sorted(found, key=_reason_order)
            contacts[person] = Contact(person, level, True, ordered)
            frontier[person] = min(r.start for r in ordered)
        known.update(frontier)

    for person, far in wide_reasons.items():
        if person == index_id:
            continue
        if person in contacts:
            contacts[person].reasons.extend(far)
        else:
            contacts[person] = Contact(person, 1, False, far)
    return result(cut_after)


def _reason_order(reason: Reason) -> tuple:
    return (reason.start, reason.kind, reason.group_id, reason.via_id, reason.end)


def related_people(*, person_id: int, since: dt.datetime, until: dt.datetime) -> dict[int, list[Reason]]:
    """Everyone who shared any group with the person in [since, until): the profile's related people."""
    sql = _Sql()
    rows = _contact_rows(sql, {person_id: since}, until, frozenset(ALL_KINDS))
    found = _reasons(sql, rows, frozenset(ALL_KINDS), dt.timedelta(0))
    return {p: sorted(r, key=_reason_order) for p, r in found.items()}
