"""Reads behind the investigation pages: who may be confirmed, what a selection picks, the page's blocks by
company with counts, and the list's counts and status.

A saved investigation's snapshot is the trace document as the officer saw it (selectors.trace_document with
ids); these functions read only that snapshot and the case statuses, never the registry as it is now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from worktrace.tracing.models import CaseLevel, CaseStatus, Investigation
from worktrace.tracing.params import MAX_DEPTH

# The company token of contacts with no employer (non-worker roommates, drivers).
NO_COMPANY = "_"
NO_COMPANY_NAME = _("Không thuộc doanh nghiệp nào")
SINCE = _("từ")
CONTACT_LEVELS = [f"F{level}" for level in range(1, MAX_DEPTH + 1)]


class InvestigationStatus:
    DRAFT = _("Chưa xác nhận")
    PARTLY = _("Xác nhận một phần")
    CONFIRMED = _("Đã xác nhận")


def candidates(snapshot: dict) -> dict[int, dict]:
    """The close contacts of a snapshot by person id: the people an officer may confirm."""
    return {c["id"]: c for c in snapshot.get("contacts", []) if c["close"]}


def company_tokens(contact: dict) -> list[str]:
    """The companies a contact is listed under (tax codes; ``NO_COMPANY`` for none), as the page groups them."""
    return [tax_code or NO_COMPANY for tax_code, _name in contact.get("companies") or []] or [NO_COMPANY]


def selection_people(
    snapshot: dict,
    *,
    levels: Iterable[int] = (),
    companies: Iterable[str] = (),
    people: Iterable[int] = (),
) -> set[int]:
    """The close contacts a selection names: every contact at one of ``levels``; every contact of a company
    (``"TAXCODE"``) or of one level of it (``"TAXCODE:2"``); and ``people`` one by one. The union of all three.
    """
    levels = set(levels)
    whole: set[str] = set()
    by_level: set[tuple[str, int]] = set()
    for token in companies:
        tax_code, _sep, level = token.partition(":")
        if level:
            by_level.add((tax_code, int(level)))
        else:
            whole.add(tax_code)
    chosen = set(people)
    for person_id, contact in candidates(snapshot).items():
        tokens = company_tokens(contact)
        if (
            contact["level"] in levels
            or whole.intersection(tokens)
            or any((token, contact["level"]) in by_level for token in tokens)
        ):
            chosen.add(person_id)
    return chosen & set(candidates(snapshot))


def company_choices(snapshot: dict) -> list[str]:
    """Every company token a selection of this snapshot may name (``TAXCODE`` and ``TAXCODE:LEVEL``)."""
    tokens: set[str] = set()
    for contact in candidates(snapshot).values():
        for token in company_tokens(contact):
            tokens |= {token, f"{token}:{contact['level']}"}
    return sorted(tokens)


@dataclass
class LevelCount:
    label: str
    level: int
    candidates: int = 0
    confirmed: int = 0
    token: str = ""  # the company token selecting this level of the block


@dataclass
class PersonRow:
    """One candidate as the page lists it, its text formatted here once: a template tag per row made a page of
    600 candidates take over a second to render."""

    contact: dict
    case: CaseStatus | None
    url: str = ""
    # What the officer typed, shown again when a confirmation was refused.
    picked: bool = False
    own_place: str = ""
    own_from: str = ""

    # Text, not numbers: a template localises every number it prints, which cost a third of the page's time.
    @property
    def id(self) -> str:
        return str(self.contact["id"])

    @property
    def name(self) -> str:
        return self.contact["name"]

    @property
    def level(self) -> str:
        return str(self.contact["level"])

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.contact.get("workshop"), self.contact.get("team")) if p)

    @property
    def case_text(self) -> str:
        """ "F1 · Cách ly tập trung · <facility> · từ 30/11/2026" for a confirmed candidate, else ""."""
        if self.case is None:
            return ""
        parts = [str(self.case.get_level_display()), self.case.place_label, f"{SINCE} {self.case.starts_on:%d/%m/%Y}"]
        return " · ".join(p for p in parts if p)


@dataclass
class CompanyBlock:
    token: str
    name: str
    tax_code: str
    levels: dict[int, LevelCount] = field(default_factory=dict)
    people: list[PersonRow] = field(default_factory=list)
    monitor: int = 0

    @property
    def candidates(self) -> int:
        return len(self.people)

    @property
    def confirmed(self) -> int:
        return sum(1 for row in self.people if row.case is not None)

    @property
    def level_counts(self) -> list[LevelCount]:
        return [self.levels[level] for level in sorted(self.levels)]


@dataclass
class InvestigationPage:
    blocks: list[CompanyBlock]
    levels: list[LevelCount]  # totals over the investigation (a person with two employers counted once)
    candidates: int
    confirmed: int
    monitor: int


def investigation_page(investigation: Investigation) -> InvestigationPage:
    """The candidates of an investigation by company (largest first, no employer last), with their current case
    statuses and counts per level: what the page shows collapsed per company. Two queries."""
    current = {c.person_id: c for c in investigation.cases.current().select_related("facility")}
    person_url = reverse("person", args=[0])[: -len("0/")]
    blocks: dict[str, CompanyBlock] = {}
    totals: dict[int, LevelCount] = {}
    monitor = 0
    for contact in investigation.snapshot.get("contacts", []):
        names = dict(contact.get("companies") or [])
        for token in company_tokens(contact):
            block = blocks.get(token)
            if block is None:
                name = names.get(token) or str(NO_COMPANY_NAME)
                block = blocks[token] = CompanyBlock(token, name, "" if token == NO_COMPANY else token)
            if not contact["close"]:
                block.monitor += 1
                continue
            case = current.get(contact["id"])
            block.people.append(PersonRow(contact, case, url=f"{person_url}{contact['id']}/"))
            level = contact["level"]
            count = block.levels.setdefault(level, LevelCount(f"F{level}", level, token=f"{token}:{level}"))
            count.candidates += 1
            count.confirmed += case is not None
        if not contact["close"]:
            monitor += 1
            continue
        total = totals.setdefault(contact["level"], LevelCount(f"F{contact['level']}", contact["level"]))
        total.candidates += 1
        total.confirmed += contact["id"] in current
    for block in blocks.values():
        block.people.sort(key=lambda row: (row.contact["level"], row.contact["name"], row.contact["id"]))
    ordered = sorted(blocks.values(), key=lambda b: (b.token == NO_COMPANY, -b.candidates, b.name))
    levels = [totals[level] for level in sorted(totals)]
    return InvestigationPage(
        blocks=[b for b in ordered if b.people or b.monitor],
        levels=levels,
        candidates=sum(t.candidates for t in levels),
        confirmed=sum(t.confirmed for t in levels),
        monitor=monitor,
    )


def investigation_status(*, candidates: int, confirmed: int) -> str:
    """Draft until someone is confirmed, partly confirmed until every candidate is, then confirmed."""
    if confirmed == 0 and candidates:
        return str(InvestigationStatus.DRAFT)
    if confirmed < candidates:
        return str(InvestigationStatus.PARTLY)
    return str(InvestigationStatus.CONFIRMED)


def investigations_with_counts(investigations: QuerySet[Investigation]) -> QuerySet[Investigation]:
    """The list's query: no snapshots read; confirmed people per level counted by the database (one query)."""
    contacts = ~Q(cases__level__in=[CaseLevel.F0, CaseLevel.CLEARED])
    return (
        investigations.defer("snapshot")
        .select_related("index_person", "created_by")
        .annotate(
            confirmed_people=Count("cases__person", filter=contacts, distinct=True),
            **{
                f"confirmed_{level}": Count("cases__person", filter=Q(cases__level=level), distinct=True)
                for level in CONTACT_LEVELS
            },
        )
        .order_by("-created_at", "-id")  # a grouped query drops Meta.ordering
    )


@dataclass
class ListRow:
    investigation: Investigation
    levels: list[LevelCount]
    monitor: int
    status: str


def investigation_rows(page: Iterable[Investigation]) -> list[ListRow]:
    """Counts by level (proposed, confirmed) and the status of each investigation of a page of the list."""
    rows = []
    for investigation in page:
        counts = investigation.counts or {}
        levels = [
            LevelCount(level, int(level[1:]), counts.get(level, 0), getattr(investigation, f"confirmed_{level}", 0))
            for level in CONTACT_LEVELS
            if counts.get(level)
        ]
        candidates = sum(c.candidates for c in levels)
        rows.append(
            ListRow(
                investigation,
                levels,
                counts.get("monitor", 0),
                investigation_status(
                    candidates=candidates, confirmed=min(getattr(investigation, "confirmed_people", 0), candidates)
                ),
            )
        )
    return rows
