"""Investigation pages: the list (counts, status), one investigation (candidates by company), confirming cases.

Selecting works without JavaScript: "every F1", "every F1 of this company" and single people are checkboxes
the server resolves (investigations.selection_people); investigation.js only ticks the matching boxes as you go.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from worktrace.accounts.access import Capability, get_investigation_for_user, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Facility
from worktrace.text import fold
from worktrace.tracing.investigations import (
    candidates,
    company_choices,
    investigation_page,
    investigation_rows,
    investigations_with_counts,
    selection_people,
)
from worktrace.tracing.models import Investigation, QuarantinePlace
from worktrace.tracing.params import cut_message
from worktrace.tracing.services import Placement, Selection, investigation_confirm

ERROR_NOTHING_SELECTED = gettext_lazy("Hãy chọn người cần xác nhận.")
ERROR_PERSON_PLACE = gettext_lazy(
    "Nơi cách ly «%(value)s» của %(name)s không có trong danh sách: hãy chọn Cách ly tại nhà, Bệnh viện "
    "hoặc tên một cơ sở cách ly."
)
ERROR_PERSON_DATE = gettext_lazy("Ngày bắt đầu «%(value)s» của %(name)s không đúng dạng dd/mm/yyyy.")
FACILITY_PREFIX = "facility:"
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


def _place_choices(facilities: list[Facility]) -> list[tuple[str, str]]:
    return [
        ("", gettext_lazy("— chưa xác định —")),
        (QuarantinePlace.HOME, QuarantinePlace.HOME.label),
        (QuarantinePlace.HOSPITAL, QuarantinePlace.HOSPITAL.label),
        *[(f"{FACILITY_PREFIX}{f.pk}", f"{QuarantinePlace.FACILITY.label}: {f.name}") for f in facilities],
    ]


def _placement(value: str, starts_on: dt.date | None) -> Placement:
    """A place choice ("home", "hospital", "facility:ID", "" not yet known) as a Placement."""
    if value.startswith(FACILITY_PREFIX):
        facility_id = value[len(FACILITY_PREFIX) :]
        return Placement(QuarantinePlace.FACILITY, int(facility_id) if facility_id.isdigit() else -1, starts_on)
    return Placement(value, None, starts_on)


class ConfirmForm(forms.Form):
    """The selection (levels, companies or a company's level, people) and the placement they all get."""

    levels = forms.TypedMultipleChoiceField(coerce=int, required=False)
    companies = forms.MultipleChoiceField(required=False)
    people = forms.TypedMultipleChoiceField(coerce=int, required=False)
    place = forms.ChoiceField(label=gettext_lazy("Nơi cách ly"), required=False)
    starts_on = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )

    def __init__(self, *args, investigation: Investigation, facilities: list[Facility], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.investigation = investigation
        self.facilities = facilities
        self.candidates = candidates(investigation.snapshot)
        self.fields["levels"].choices = [
            (lvl, f"F{lvl}") for lvl in sorted({c["level"] for c in self.candidates.values()})
        ]
        self.fields["companies"].choices = [(t, t) for t in company_choices(investigation.snapshot)]
        self.fields["people"].choices = [(pk, c["name"]) for pk, c in self.candidates.items()]
        self.fields["place"].choices = _place_choices(facilities)
        self.initial.setdefault("starts_on", timezone.localdate())

    def _person_placements(self, data: QueryDict) -> dict[int, Placement]:
        """Per-person place (``place_<id>``: a place or a facility's name) and start (``from_<id>``)."""
        by_name = {fold(str(QuarantinePlace.HOME.label)): QuarantinePlace.HOME.value}
        by_name[fold(str(QuarantinePlace.HOSPITAL.label))] = QuarantinePlace.HOSPITAL.value
        by_name |= {fold(f.name): f"{FACILITY_PREFIX}{f.pk}" for f in self.facilities}
        default = self.cleaned_data.get("starts_on")
        found: dict[int, Placement] = {}
        for person_id, contact in self.candidates.items():
            place = data.get(f"place_{person_id}", "").strip()
            start = data.get(f"from_{person_id}", "").strip()
            if not place and not start:
                continue
            starts_on = default
            if start:
                starts_on = _date(start)
                if starts_on is None:
                    self.add_error(None, ERROR_PERSON_DATE % {"value": start[:30], "name": contact["name"]})
                    continue
            if place and fold(place) not in by_name:
                self.add_error(None, ERROR_PERSON_PLACE % {"value": place[:60], "name": contact["name"]})
                continue
            chosen = by_name[fold(place)] if place else self.cleaned_data.get("place", "")
            found[person_id] = _placement(chosen, starts_on)
        return found

    def clean(self) -> dict:
        data = super().clean()
        if "people" in self.errors or "companies" in self.errors or "levels" in self.errors:
            self.errors.pop("people", None)
            self.errors.pop("companies", None)
            self.errors.pop("levels", None)
            self.add_error(None, ERROR_NOTHING_SELECTED)
            return data
        if self.errors:
            return data
        chosen = selection_people(
            self.investigation.snapshot,
            levels=data.get("levels", []),
            companies=data.get("companies", []),
            people=data.get("people", []),
        )
        self.personal = self._person_placements(self.data)
        if not chosen and not self.personal and not self.errors:
            self.add_error(None, ERROR_NOTHING_SELECTED)
        self.chosen = chosen
        return data

    def selections(self) -> list[Selection]:
        """The bulk selection, then each person's own placement (which wins): after ``is_valid()``."""
        bulk = _placement(self.cleaned_data.get("place", ""), self.cleaned_data.get("starts_on"))
        result = [Selection(frozenset(self.chosen - set(self.personal)), bulk)]
        result += [Selection(frozenset([pk]), placement) for pk, placement in self.personal.items()]
        return [s for s in result if s.people]


def _date(value: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


@requires(Capability.TRACE)
@require_GET
def investigation_list(request: HttpRequest) -> HttpResponse:
    # Only province-wide roles may trace (tests/test_investigations.py), but the list is filtered by scope anyway.
    investigations = investigations_with_counts(request.access.investigations())
    page = Paginator(investigations, 50).get_page(request.GET.get("page"))
    audit_record(  # the list names every index case: a look at personal data
        action=Action.LIST_PEOPLE,
        request=request,
        object_type="investigation",
        detail={"page": page.number, "shown": [i.pk for i in page], "people": [i.index_person_id for i in page]},
    )
    return render(request, "tracing/investigation_list.html", {"page_obj": page, "rows": investigation_rows(page)})


def _render_detail(request: HttpRequest, investigation: Investigation, form: ConfirmForm) -> HttpResponse:
    page = investigation_page(investigation)
    if form.is_bound:  # a refused confirmation: show again what was ticked and typed
        picked = set(form.data.getlist("people"))
        for block in page.blocks:
            for row in block.people:
                pk = row.contact["id"]
                row.picked = str(pk) in picked
                row.own_place = form.data.get(f"place_{pk}", "")[:100]
                row.own_from = form.data.get(f"from_{pk}", "")[:30]
    return render(
        request,
        "tracing/investigation.html",
        {
            "investigation": investigation,
            "page": page,
            "form": form,
            "facilities": form.facilities,
            "cut_message": _cut_message(investigation.snapshot),
            "place_names": [QuarantinePlace.HOME.label, QuarantinePlace.HOSPITAL.label],
        },
        status=400 if form.is_bound else 200,
    )


def _cut_message(snapshot: dict) -> str:
    return str(cut_message(snapshot["cut_after"])) if "cut_after" in snapshot else ""


@requires(Capability.TRACE)
@require_GET
def investigation_detail(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation, _access = get_investigation_for_user(request.user, investigation_id)
    audit_record(action=Action.VIEW_PERSON, request=request, obj=investigation, purpose=investigation.purpose)
    facilities = list(Facility.objects.order_by("name"))
    return _render_detail(request, investigation, ConfirmForm(investigation=investigation, facilities=facilities))


@requires(Capability.TRACE)
@require_POST
def investigation_confirm_view(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation, _access = get_investigation_for_user(request.user, investigation_id)
    facilities = list(Facility.objects.order_by("name"))
    form = ConfirmForm(request.POST, investigation=investigation, facilities=facilities)
    if form.is_valid():
        try:
            outcome = investigation_confirm(
                investigation=investigation, user=request.user, selections=form.selections(), request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã xác nhận %(n)d người; %(same)d người đã được xác nhận đúng như vậy từ trước.")
                % {"n": len(outcome.created), "same": len(outcome.unchanged)},
            )
            return redirect("investigation", investigation_id=investigation.pk)
    return _render_detail(request, investigation, form)
