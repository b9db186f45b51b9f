"""A kept trace result as officers act on it: the summary, reasons folded to one line per group, the
company → workshop → team rows a page at a time, and each company's call list.

Reads only the document (``trace_document(..., with_ids=True)``, as kept in a ``TraceRecord`` or an
investigation's snapshot): what is shown, printed or exported is what was traced. Everything is formatted here
once, in Python, rather than with template tags per reason: a depth-2 trace holds thousands of reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from worktrace.accounts.masking import Masker
from worktrace.registry.models import GroupKind
from worktrace.tracing.params import cut_message, level_label

OUTSIDE_SCOPE = gettext_lazy("người ngoài phạm vi của bạn")
HIDDEN = gettext_lazy("%(n)d người ngoài phạm vi của bạn không được liệt kê.")
NO_COMPANY = gettext_lazy("Không thuộc doanh nghiệp nào")
# The call list of the people of no company (roommates, drivers) is named by this word instead of a tax code.
NO_COMPANY_SLUG = "khac"
PAGE_ROWS = 100  # people per page of the result: the first screen is the summary, each page stays small


def company_slug(tax_code: str) -> str:
    return tax_code or NO_COMPANY_SLUG


# --- reasons folded to one line per group -------------------------------------------------------------------------


@dataclass
class Via:
    id: int | None
    name: str
    label: str  # F0, F1, … of the person reached through
    url: str

    def html(self) -> str:
        return f'<a href="{self.url}">{escape(self.name)}</a>' if self.url else escape(self.name)


def _via_counts(vias: list[Via]) -> str:
    counts = Counter(v.label or "?" for v in vias)
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))


# A bus and its trips are one line: riding the same bus (regular riders) and the same trips (scans) say one thing.
_FAMILY = {GroupKind.TRIP: GroupKind.VEHICLE}


@dataclass
class ReasonLine:
    """The reasons of one contact in one group (for a bus: the bus and its trips) folded into one line; what it
    folds (the people reached through, the trips) is listed in a <details> when there is more than one."""

    kind: str
    title: str
    trips: list[str]  # the trips folded into the line ("30/11 06:30"), by time
    vias: list[Via]
    span: str

    @property
    def head(self) -> str:
        """ "Xe đưa đón · Xe 98B-100.07: 9 chuyến, " — what precedes the people reached through."""
        n = len(self.trips)
        trips = (ngettext("%(n)d chuyến", "%(n)d chuyến", n) % {"n": n} + ", ") if n else ""
        return f"{GroupKind(self.kind).label} · {self.title}: {trips}"

    @property
    def via_text(self) -> str:
        """ "qua Nguyễn Thị Ánh (F0)" for one person, "qua 4 F1" for several."""
        if len(self.vias) == 1 and self.vias[0].id:
            return _("qua %(name)s (%(level)s)") % {"name": self.vias[0].name, "level": self.vias[0].label}
        if len(self.vias) == 1:
            return self.vias[0].name
        return _("qua %(people)s") % {"people": _via_counts(self.vias)}

    @property
    def text(self) -> str:
        """The whole line as plain text, naming the person reached through when there is one (the export)."""
        return f"{self.head}{self.via_text} · {self.span}"

    @property
    def brief(self) -> str:
        """The line naming nobody: "… qua 1 F0 · 01–03/06". A company's call list goes to that company, and the
        people reached through may be another company's workers (or the index case)."""
        return f"{self.head}{_('qua %(people)s') % {'people': _via_counts(self.vias)}} · {self.span}"

    @property
    def html(self) -> SafeString:
        """The line for the result page: a paragraph, or a <details> listing whom and which trips it folds.

        Built here rather than by template tags: a page holds a hundred people with several lines each.
        """
        head, span = escape(self.head), escape(self.span)
        if len(self.vias) <= 1 and len(self.trips) <= 1:
            via = self.vias[0] if self.vias else Via(None, "", "", "")
            who = f"{escape(_('qua'))} {via.html()} ({escape(via.label)})" if via.id else escape(via.name)
            return mark_safe(f"<p>{head}{who} · {span}</p>")  # every part escaped above
        levels = {v.label for v in self.vias}
        if len(levels) == 1:
            people = ", ".join(v.html() for v in self.vias)
            who = f"{escape(_('qua %(people)s') % {'people': _via_counts(self.vias)})}: {people}"
        else:
            who = escape(_("qua")) + " " + ", ".join(f"{v.html()} ({escape(v.label)})" for v in self.vias)
        trips = f"<br>{escape(_('Chuyến'))}: {escape(', '.join(self.trips))}" if len(self.trips) > 1 else ""
        summary = f"{head}{escape(self.via_text)} · {span}"
        return mark_safe(f"<details><summary>{summary}</summary><p>{who}{trips}</p></details>")


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """ "21–23/11", "30/11–02/12", "21/11 06:30–07:20", "21/11": the days (or the hours of one day) covered."""
    last = end - dt.timedelta(microseconds=1)
    if start.date() == last.date():
        if start.time() == dt.time(0) and end - start == dt.timedelta(days=1):
            return f"{start:%d/%m}"
        return f"{start:%d/%m %H:%M}–{end:%H:%M}"
    if start.year != last.year:
        return f"{start:%d/%m/%Y}–{last:%d/%m/%Y}"
    if start.month != last.month:
        return f"{start:%d/%m}–{last:%d/%m}"
    return f"{start:%d}–{last:%d/%m}"


def reason_lines(relations: list[dict], vias: dict[int, Via]) -> list[ReasonLine]:
    """Fold a contact's reasons: one line per group, a bus and its trips as one line (in first-seen order)."""
    folded: dict[tuple[str, str], list[dict]] = {}
    for relation in relations:
        kind = _FAMILY.get(relation["kind"], relation["kind"])
        folded.setdefault((kind, relation.get("vehicle") or relation["group"]), []).append(relation)
    lines = []
    for (kind, title), group in folded.items():
        starts = [dt.datetime.fromisoformat(r["from"]) for r in group]
        ends = [dt.datetime.fromisoformat(r["to"]) for r in group]
        people: dict[int | None, Via] = {}
        trips: dict[object, dt.datetime] = {}
        for relation, start in zip(group, starts, strict=True):
            via_id = relation.get("via_id")
            if via_id not in people:
                people[via_id] = (vias.get(via_id) if via_id else None) or Via(None, str(OUTSIDE_SCOPE), "", "")
            if relation["kind"] == GroupKind.TRIP:
                trip = relation.get("group_id", relation["group"])
                trips[trip] = min(start, trips.get(trip, start))
        lines.append(
            ReasonLine(
                kind=kind,
                title=title,
                trips=[f"{t:%d/%m %H:%M}" for t in sorted(trips.values())],
                vias=list(people.values()),
                span=_span(min(starts), max(ends)),
            )
        )
    return lines


# --- the document made ready to show --------------------------------------------------------------------------------


def result_display(document: dict, *, masker: Masker) -> dict:
    """Add what pages show to a document (in place, and returned): level labels, masked phones and IDs, the
    people reasons go through (``vias``, for ``Row.lines``), the window as datetimes, and the messages for a cut or
    partly hidden trace. Reasons are folded only for the rows shown (``Row.lines``)."""
    person_url = reverse("person", args=[0])[: -len("0/")]
    index = document["index"]
    vias = {index["id"]: Via(index["id"], index["name"], "F0", f"{person_url}{index['id']}/")}
    for contact in document["contacts"]:
        contact["label"] = level_label(contact["level"], contact["close"])
        contact["url"] = f"{person_url}{contact['id']}/"
        vias[contact["id"]] = Via(contact["id"], contact["name"], contact["label"], contact["url"])
        contact["phone_shown"] = masker.phone(contact.get("phone"))
        contact["national_id_shown"] = masker.national_id(contact["national_id"])
    document["vias"] = vias
    window = document["window"]
    window["from_dt"], window["to_dt"] = (dt.datetime.fromisoformat(window[k]) for k in ("from", "to"))
    if "cut_after" in document:
        document["cut_message"] = cut_message(document["cut_after"])
    if "hidden" in document:
        document["hidden_message"] = HIDDEN % {"n": document["hidden"]}
    return document


# --- summary ----------------------------------------------------------------------------------------------------------


def _level_order(label: str) -> tuple[bool, str]:
    return (not label.startswith("F"), label.zfill(4))


@dataclass
class CompanyRow:
    name: str
    tax_code: str
    counts: dict[str, int]
    total: int
    page: int = 1  # the page of the result where its people start
    columns: list[tuple[str, int]] = field(default_factory=list)  # (label, count) in the order of Summary.labels

    @property
    def slug(self) -> str:
        return company_slug(self.tax_code)

    def count(self, label: str) -> int:
        return self.counts.get(label, 0)


@dataclass
class Summary:
    total: int
    levels: list[tuple[str, int]]  # (F1, 62), (F2, 521), (Theo dõi, 63)
    kinds: list[tuple[str, int]]  # relation kind → people reached through it
    companies: list[CompanyRow]

    @property
    def labels(self) -> list[str]:
        return [label for label, _n in self.levels]


def _jobs(contact: dict) -> list[tuple[str, str]]:
    return [(tax, name) for tax, name in contact.get("companies") or []] or [("", str(NO_COMPANY))]


def result_summary(document: dict) -> Summary:
    """Counts by level, by relation kind and by company (a person with two jobs counts at each company)."""
    levels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    companies: dict[str, CompanyRow] = {}
    for contact in document["contacts"]:
        label = level_label(contact["level"], contact["close"])
        levels[label] += 1
        kinds.update({r["kind"] for r in contact["relations"]})
        for tax_code, name in _jobs(contact):
            row = companies.setdefault(tax_code, CompanyRow(name, tax_code, {}, 0))
            row.counts[label] = row.counts.get(label, 0) + 1
            row.total += 1
    first = level_label(1, True)
    ordered = sorted(levels.items(), key=lambda item: _level_order(item[0]))
    for row in companies.values():
        row.columns = [(label, row.count(label)) for label, _n in ordered]
    return Summary(
        total=len(document["contacts"]),
        levels=ordered,
        kinds=[(str(GroupKind(kind).label), n) for kind, n in kinds.most_common()],
        companies=sorted(companies.values(), key=lambda c: (c.tax_code == "", -c.count(first), -c.total, c.name)),
    )


# --- the rows, company → workshop → team, a page at a time ----------------------------------------------------------


@dataclass
class Row:
    company: CompanyRow
    workshop: str
    team: str
    contact: dict
    worker_code: str
    vias: dict[int, Via] = field(repr=False, default_factory=dict)

    @property
    def lines(self) -> list[ReasonLine]:
        """The contact's reasons folded, computed once and only for the rows shown."""
        if "lines" not in self.contact:
            self.contact["lines"] = reason_lines(self.contact["relations"], self.vias)
        return self.contact["lines"]

    def reasons_text(self, *, brief: bool = False) -> str:
        """The folded reasons as one text: the export's, or (``brief``) a call list's, naming nobody."""
        return "; ".join(line.brief if brief else line.text for line in self.lines)


@dataclass
class TeamRows:
    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class WorkshopRows:
    name: str
    teams: list[TeamRows] = field(default_factory=list)


@dataclass
class CompanyRows:
    company: CompanyRow
    workshops: list[WorkshopRows] = field(default_factory=list)
    continued: bool = False  # its first rows are on an earlier page


def result_rows(document: dict, summary: Summary) -> list[Row]:
    """Every (company, person) row: companies in the summary's order (most F1 first), then workshop and team by
    name, then people as the document orders them (close before wide, by level, by name)."""
    by_company: dict[str, list[Row]] = {c.tax_code: [] for c in summary.companies}
    rows_of = {c.tax_code: c for c in summary.companies}
    vias = document.get("vias", {})
    for contact in document["contacts"]:
        for i, (tax_code, _name) in enumerate(_jobs(contact)):
            # The workshop and team are those of the first job: a second employer's are not known to the trace.
            workshop = (contact.get("workshop") if i == 0 else None) or "—"
            team = (contact.get("team") if i == 0 else None) or "—"
            code = (contact.get("worker_codes") or {}).get(tax_code, "")
            by_company[tax_code].append(Row(rows_of[tax_code], workshop, team, contact, code, vias))
    rows: list[Row] = []
    for company in summary.companies:
        company_rows = by_company[company.tax_code]
        company.page = len(rows) // PAGE_ROWS + 1
        # Workshops and teams holding the nearest contacts first (the F0's own team leads), then by name.
        nearest: dict[tuple[str, ...], tuple[bool, int]] = {}
        for row in company_rows:
            rank = (not row.contact["close"], row.contact["level"])
            for key in ((row.workshop,), (row.workshop, row.team)):
                nearest[key] = min(nearest.get(key, rank), rank)
        company_rows.sort(  # stable: people keep the document's order inside a team
            key=lambda r: (
                nearest[(r.workshop,)],
                r.workshop == "—",
                r.workshop,
                nearest[(r.workshop, r.team)],
                r.team == "—",
                r.team,
            )
        )
        rows.extend(company_rows)
    return rows


def rows_grouped(rows: list[Row], *, continued: bool = False) -> list[CompanyRows]:
    """Consecutive rows regrouped under their company, workshop and team headings."""
    blocks: list[CompanyRows] = []
    for row in rows:
        if not blocks or blocks[-1].company is not row.company:
            blocks.append(CompanyRows(row.company, continued=continued and not blocks))
        workshops = blocks[-1].workshops
        if not workshops or workshops[-1].name != row.workshop:
            workshops.append(WorkshopRows(row.workshop))
        teams = workshops[-1].teams
        if not teams or teams[-1].name != row.team:
            teams.append(TeamRows(row.team))
        teams[-1].rows.append(row)
    return blocks


def rows_page(rows: list[Row], number: Any) -> tuple[Page, list[CompanyRows]]:
    """One page of rows (``PAGE_ROWS``), regrouped; a company begun on the previous page says it continues."""
    page = Paginator(rows, PAGE_ROWS).get_page(number)
    shown = list(page.object_list)
    continued = bool(shown) and page.start_index() > 1 and rows[page.start_index() - 2].company is shown[0].company
    return page, rows_grouped(shown, continued=continued)


# --- call lists -------------------------------------------------------------------------------------------------------


def call_list(rows: list[Row], tax_code: str) -> list[Row]:
    """The people one company is to call, F1 first: by level, then workshop, team and name."""
    mine = [r for r in rows if r.company.tax_code == tax_code]
    return sorted(
        mine,
        key=lambda r: (
            not r.contact["close"],
            r.contact["level"],
            r.workshop == "—",
            r.workshop,
            r.team,
            r.contact["name"],
        ),
    )
