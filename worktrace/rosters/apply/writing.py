"""Writing a roster's plan in bulk, then the rows that depend on it: test results and near-miss houses."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from worktrace.bulk import insert_rows, reset_sequences
from worktrace.notifications.triggers import positive_tests_recorded
from worktrace.registry.models import (
    Employment,
    Group,
    GroupKind,
    Membership,
    Person,
    PersonDeclaration,
    TestOutcome,
    TestResult,
)
from worktrace.rosters.apply import plan as plan_module
from worktrace.rosters.apply.groups import Groups
from worktrace.rosters.apply.people import DECLARATION_FIELDS
from worktrace.rosters.apply.plan import Plan, chunks
from worktrace.rosters.columns import GROUP_FIELDS, MEMBERSHIP_FIELDS, PERSON_FIELDS
from worktrace.rosters.rows import ParsedRoster

JOB_FIELDS = ["id", "person_id", "company_id", "worker_code", "shift", "start_date", "end_date"]
TEST_FIELDS = ["person_id", "sampled_on", "method", "outcome", "recorded_at", "declared_by_id"]
MAX_NEW_HOUSES = 200  # more new houses than this in one file is a new province, not a typo to catch


def digit_signature(key: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", key))


def write_plan(plan: Plan) -> None:
    for batch in chunks(sorted(set(plan.end_memberships))):
        Membership.objects.filter(pk__in=batch).update(end=plan.now)
    if plan.new_people:
        insert_rows(Person, PERSON_FIELDS, plan.new_people)
    if plan.new_groups:
        insert_rows(Group, GROUP_FIELDS, plan.new_groups)
    if plan.new_jobs:
        insert_rows(Employment, JOB_FIELDS, plan.new_jobs)
    if plan.new_memberships:
        insert_rows(Membership, MEMBERSHIP_FIELDS, plan.new_memberships)
    if plan.new_declarations:
        insert_rows(PersonDeclaration, DECLARATION_FIELDS, plan.new_declarations)
    reset_sequences(Person, Employment, Group)


def write_tests(
    plan: Plan, parsed: ParsedRoster, people: dict[str, int], registered: set[int], outside_staff: set[int]
) -> None:
    """A test result per row that reports one, unless that person already has a result for that day.

    ``registered``: people known before this import (new ones have no results yet); ``outside_staff``: those
    of them who are not current workers of the company.
    """
    wanted = {}
    for row in parsed.workers:
        if row.last_test_on and row.test_result:
            wanted[row.national_id] = (row.last_test_on, row.test_result)
    if not wanted:
        return
    people = {nid: pid for nid, pid in people.items() if nid in wanted}
    have: set[tuple[int, dt.date]] = set()
    pids = sorted(pid for pid in people.values() if pid in registered)
    days = sorted({day for day, _outcome in wanted.values()})
    if len(pids) > plan_module.CHUNK:  # mostly the company's own workers: one joined read instead of many IN lists
        found = TestResult.objects.filter(sampled_on__in=days, person__employments__company_id=plan.company_id)
        have.update(found.values_list("person_id", "sampled_on"))
        pids = [pid for pid in pids if pid in outside_staff]
    for batch in chunks(pids):
        found = TestResult.objects.filter(person_id__in=batch, sampled_on__in=days)
        have.update(found.values_list("person_id", "sampled_on"))
    rows = [
        (people[nid], day, "", outcome, plan.now, plan.company_id)
        for nid, (day, outcome) in wanted.items()
        if nid in people and (people[nid], day) not in have
    ]
    if rows:
        insert_rows(TestResult, TEST_FIELDS, rows)
        # The health officers are alerted, in the import's transaction (issue 11, trigger 2).
        positive = [(row[0], row[1]) for row in rows if row[3] == TestOutcome.POSITIVE]
        positive_tests_recorded(tests=positive, company_id=plan.company_id)


def near_misses(groups: Groups) -> list[dict]:
    """New houses whose address is close to a known one: shown to an official to merge, never merged here."""
    if not groups.new_houses or len(groups.new_houses) > MAX_NEW_HOUSES or len(groups.house_keys) > 50_000:
        return []
    existing = Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).exclude(
        pk__in=[gid for gid, _n, _k in groups.new_houses]
    )
    # Compared only with keys holding the same numbers: "Nhà trọ số 12" and "số 13" are two houses.
    by_key: dict[str, list[tuple[int, str]]] = {}
    blocks: dict[tuple[str, ...], list[str]] = {}
    for gid, key, name in existing.values_list("id", "key", "name"):
        if key not in by_key:
            blocks.setdefault(digit_signature(key), []).append(key)
        by_key.setdefault(key, []).append((gid, name))
    found = []
    for gid, name, key in groups.new_houses:
        close = difflib.get_close_matches(key, blocks.get(digit_signature(key), []), n=3, cutoff=0.85)
        if close:
            found.append(
                {"id": gid, "name": name, "candidates": [{"id": g, "name": n} for k in close for g, n in by_key[k]]}
            )
    return found
