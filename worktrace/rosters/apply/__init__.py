"""The difference between a validated roster and the company's current one, written in bulk.

Runs inside roster_import's transaction, in steps that each have their own module:

1. ``identity``: registered people named by the file; rows that disagree with them are refused;
2. ``people``: new people planned, this company's declarations recorded, effective details updated;
3. ``groups``: workshops, teams, houses, rooms and buses resolved (new ones planned);
4. ``jobs``: the worker sheet against the current jobs — new, moved, unchanged, leavers;
5. ``others``: drivers and co-residents of the optional sheets;
6. ``writing``: the plan written with COPY/executemany, then test results and near-miss houses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from worktrace.registry.models import Company
from worktrace.rosters.apply.groups import Groups
from worktrace.rosters.apply.identity import Conflict, IdentityCheck, load_known
from worktrace.rosters.apply.jobs import Jobs
from worktrace.rosters.apply.others import OtherSheets
from worktrace.rosters.apply.people import company_declarations, people_for_roster
from worktrace.rosters.apply.plan import CHUNK, Plan, Touched, chunks
from worktrace.rosters.apply.writing import digit_signature, near_misses, write_plan, write_tests
from worktrace.rosters.columns import SLOT_OF_KIND, SLOTS
from worktrace.rosters.rows import ParsedRoster, Problem

__all__ = ["CHUNK", "SLOTS", "SLOT_OF_KIND", "RosterApplier", "chunks", "digit_signature"]


class RosterApplier:
    """Checks identities (``check``), then applies the rows left (``run``); counts and lists for the outcome."""

    def __init__(
        self, *, company: Company, parsed: ParsedRoster, today: dt.date, progress: Callable | None = None
    ) -> None:
        self.parsed = parsed
        self.plan = Plan(company_id=company.pk, today=today, now=timezone.now())
        self.progress = progress
        self.conflicts: list[Conflict] = []
        self.near_misses: list[dict] = []
        self._identity: IdentityCheck | None = None

    def check(self) -> list[Conflict]:
        """Refuse the rows naming a registered person with other details (they join parsed.errors)."""
        self.known, self.staff_ids = load_known(self.plan.company_id, self.parsed)
        self._identity = IdentityCheck(self.parsed, self.known)
        self.conflicts = self._identity.run()
        return self.conflicts

    def run(self) -> None:
        if self._identity is None:
            self.check()
        assert self._identity is not None
        plan, parsed = self.plan, self.parsed
        groups = Groups(plan, parsed)
        registered = {values[0] for values in self.known.values()}
        outside_staff = {self.known[nid][0] for nid in self.known.keys() - self.staff_ids}
        declared, official = company_declarations(plan.company_id)
        people = people_for_roster(plan, parsed, self.known, declared, official)  # empties self.known
        del declared
        groups.buses_from_sheet()
        Jobs(plan, parsed, groups, people).run()
        OtherSheets(plan, parsed, groups, people, self._identity).run()
        write_plan(plan)
        write_tests(plan, parsed, people, registered, outside_staff)
        self.near_misses = near_misses(groups)

    # The outcome's figures, read by roster_import.
    @property
    def created(self) -> int:
        return self.plan.created

    @property
    def ended(self) -> int:
        return self.plan.ended

    @property
    def moved(self) -> int:
        return self.plan.moved

    @property
    def unchanged(self) -> int:
        return self.plan.unchanged

    @property
    def changes(self) -> list[dict]:
        return self.plan.changes

    @property
    def warnings(self) -> list[Problem]:
        return self.plan.warnings

    @property
    def touched(self) -> Touched:
        return self.plan.touched
