"""The investigation page: selecting a level, a company or one level of it, per-person places, idempotent and
historical confirmation, the list's counts and status, and who may do any of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from worktrace.accounts.access import ROLE_CAPABILITIES, Capability
from worktrace.accounts.models import Role
from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Facility, Person
from worktrace.tracing.investigation_views import ERROR_NOTHING_SELECTED, ERROR_PERSON_DATE, ERROR_PERSON_PLACE
from worktrace.tracing.investigations import NO_COMPANY, InvestigationStatus, selection_people
from worktrace.tracing.models import CaseStatus, Investigation, QuarantinePlace
from worktrace.tracing.services import (
    ERROR_FACILITY_MISSING,
    ERROR_NOT_CLOSE,
    Placement,
    Selection,
    investigation_confirm,
    snapshot_counts,
)

B, C = "2400000102", "2400000103"


def contact(person: Person, level: int, *companies: tuple[str, str], close: bool = True) -> dict:
    return {
        "id": person.pk,
        "name": person.full_name,
        "national_id": person.national_id,
        "level": level,
        "close": close,
        "companies": [list(c) for c in companies],
        "workshop": "Phân xưởng May",
        "team": "Tổ 1",
        "relations": [{"kind": "room", "group": "Phòng 3", "via_id": None}],
    }


@pytest.fixture
def people(world):
    em = Person.objects.create(full_name="Vũ Văn Em", national_id="024099006666")
    giang = Person.objects.create(full_name="Đỗ Thị Giang", national_id="024099007777")
    return {"chau": world.chau, "binh": world.binh, "dung": world.dung, "hai": world.hai, "em": em, "giang": giang}


@pytest.fixture
def snapshot(world, people):
    company_b, company_c = (B, "Công ty Điện tử Bình Minh"), (C, "Công ty Linh kiện Châu Á")
    return {
        "index": {"id": world.ann.pk, "name": world.ann.full_name},
        "window": {"from": "2026-11-28T00:00:00+07:00", "to": "2026-12-01T00:00:00+07:00"},
        "contacts": [
            contact(people["chau"], 1, company_c),
            contact(people["binh"], 1, company_b),
            contact(people["hai"], 1, company_b, company_c),  # two jobs: listed under both companies
            contact(people["dung"], 2),  # a non-worker roommate: no company
            contact(people["em"], 2, company_c),
            contact(people["giang"], 1, company_c, close=False),  # to monitor: never confirmed here
        ],
    }


@pytest.fixture
def investigation(world, snapshot):
    now = timezone.now()
    return Investigation.objects.create(
        index_person=world.ann,
        reference_date=now.date(),
        window_start=now - dt.timedelta(days=2),
        window_end=now,
        created_by=world.health,
        purpose="Điều tra ca F0",
        snapshot=snapshot,
        counts=snapshot_counts(snapshot),
    )


def ids(*people: Person) -> set[int]:
    return {p.pk for p in people}


# Selection logic


def test_it_selects_every_contact_of_a_level(snapshot, people):
    assert selection_people(snapshot, levels=[1]) == ids(people["chau"], people["binh"], people["hai"])
    assert selection_people(snapshot, levels=[2]) == ids(people["dung"], people["em"])


def test_it_selects_a_whole_company_or_one_level_of_it(snapshot, people):
    assert selection_people(snapshot, companies=[C]) == ids(people["chau"], people["hai"], people["em"])
    assert selection_people(snapshot, companies=[f"{C}:1"]) == ids(people["chau"], people["hai"])
    assert selection_people(snapshot, companies=[f"{B}:1"]) == ids(people["binh"], people["hai"])
    assert selection_people(snapshot, companies=[NO_COMPANY]) == ids(people["dung"])


def test_it_unites_levels_companies_and_single_people(snapshot, people):
    chosen = selection_people(snapshot, levels=[2], companies=[f"{B}:1"], people=[people["chau"].pk])
    assert chosen == ids(people["dung"], people["em"], people["binh"], people["hai"], people["chau"])


def test_it_never_selects_people_to_monitor_or_outside_the_result(snapshot, people, world):
    assert people["giang"].pk not in selection_people(snapshot, companies=[C], levels=[1])
    assert selection_people(snapshot, people=[people["giang"].pk, world.ann.pk]) == set()


# Confirming (service)


def confirm(investigation, user, *selections: tuple[set[int], Placement]):
    return investigation_confirm(
        investigation=investigation,
        user=user,
        selections=[Selection(frozenset(chosen), placement) for chosen, placement in selections],
    )


def test_reconfirming_the_same_adds_nothing_and_a_change_adds_history(world, investigation, people):
    facility = Placement(QuarantinePlace.FACILITY, world.facility.pk, dt.date(2026, 11, 30))
    chosen = ids(people["chau"], people["hai"])
    first = confirm(investigation, world.health, (chosen, facility))
    assert len(first.created) == 2 and first.unchanged == []
    again = confirm(investigation, world.health, (chosen, facility))
    assert again.created == [] and sorted(again.unchanged) == sorted(chosen)
    assert CaseStatus.objects.filter(person__in=chosen).count() == 2

    hospital = Placement(QuarantinePlace.HOSPITAL, None, dt.date(2026, 12, 1))
    moved = confirm(investigation, world.health, ({people["chau"].pk}, hospital))
    assert [c.person_id for c in moved.created] == [people["chau"].pk]
    rows = CaseStatus.objects.filter(person=people["chau"]).order_by("id")
    assert [(r.quarantine_place, r.facility_id) for r in rows] == [("facility", world.facility.pk), ("hospital", None)]
    current = investigation.cases.current().get(person=people["chau"])
    assert (current.quarantine_place, current.starts_on) == ("hospital", dt.date(2026, 12, 1))
    entries = AuditEntry.objects.filter(action=Action.CONFIRM_CASES, object_id=str(investigation.pk))
    assert entries.count() == 3
    assert entries.order_by("id").last().detail["changed"] == [people["chau"].pk]


def test_a_later_selection_wins_for_a_person_named_twice(world, investigation, people):
    everyone = selection_people(investigation.snapshot, levels=[1])
    confirm(
        investigation,
        world.health,
        (everyone, Placement(QuarantinePlace.HOME)),
        ({people["binh"].pk}, Placement(QuarantinePlace.HOSPITAL, None, dt.date(2026, 11, 29))),
    )
    current = {c.person_id: (c.level, c.quarantine_place, c.starts_on) for c in investigation.cases.current()}
    today = timezone.localdate()
    assert current[people["chau"].pk] == ("F1", "home", today)
    assert current[people["binh"].pk] == ("F1", "hospital", dt.date(2026, 11, 29))


def test_it_confirms_nothing_when_one_selection_is_wrong(world, investigation, people):
    with pytest.raises(ValidationError) as caught:
        confirm(
            investigation,
            world.health,
            ({people["chau"].pk}, Placement(QuarantinePlace.HOME)),
            ({people["em"].pk}, Placement(QuarantinePlace.FACILITY)),  # no facility named
        )
    assert caught.value.messages == [str(ERROR_FACILITY_MISSING)]
    with pytest.raises(ValidationError) as caught:
        confirm(investigation, world.health, ({people["giang"].pk}, Placement(QuarantinePlace.HOME)))
    assert caught.value.messages == [str(ERROR_NOT_CLOSE)]
    assert not CaseStatus.objects.exists()


def test_it_keeps_a_facility_only_with_central_quarantine(world, investigation, people):
    with pytest.raises(ValidationError):
        confirm(investigation, world.health, ({people["chau"].pk}, Placement(QuarantinePlace.HOME, world.facility.pk)))
    with pytest.raises(ValidationError):
        confirm(investigation, world.health, ({people["chau"].pk}, Placement(QuarantinePlace.FACILITY, 999_999)))


# The page


def url(investigation, name="investigation_confirm"):
    return reverse(name, args=[investigation.pk])


def test_it_confirms_every_f1_of_a_company_to_a_facility(client, world, investigation, people):
    client.force_login(world.health)
    response = client.post(
        url(investigation),
        {"companies": [f"{C}:1"], "place": f"facility:{world.facility.pk}", "starts_on": "30/11/2026"},
    )
    assert response.status_code == 302
    rows = CaseStatus.objects.filter(investigation=investigation)
    assert {(r.person_id, r.level, r.quarantine_place, r.facility_id, r.starts_on) for r in rows} == {
        (people["chau"].pk, "F1", "facility", world.facility.pk, dt.date(2026, 11, 30)),
        (people["hai"].pk, "F1", "facility", world.facility.pk, dt.date(2026, 11, 30)),
    }
    body = client.get(url(investigation, "investigation")).content.decode()
    assert f"Cách ly tập trung · {world.facility.name}" in body
    assert "2/3 đã xác nhận" in body  # F1: Chau and Hai of Chau, Binh, Hai


def test_it_works_from_a_level_checkbox_without_javascript(client, world, investigation, people):
    client.force_login(world.health)
    client.post(url(investigation), {"levels": ["2"], "place": "home"})
    assert set(CaseStatus.objects.values_list("person_id", flat=True)) == ids(people["dung"], people["em"])


def test_it_gives_one_person_their_own_place_and_start(client, world, investigation, people):
    client.force_login(world.health)
    binh, dung = people["binh"].pk, people["dung"].pk
    client.post(
        url(investigation),
        {
            "levels": ["1"],
            "place": "home",
            "starts_on": "30/11/2026",
            f"place_{binh}": "bệnh viện",  # typed without care for case: matched like the list's names
            f"from_{binh}": "01/12/2026",
            f"place_{dung}": world.facility.name,  # a per-person place alone also selects the person
        },
    )
    current = {c.person_id: (c.quarantine_place, c.facility_id, c.starts_on) for c in investigation.cases.current()}
    assert current[binh] == ("hospital", None, dt.date(2026, 12, 1))
    assert current[dung] == ("facility", world.facility.pk, dt.date(2026, 11, 30))
    assert current[people["chau"].pk] == ("home", None, dt.date(2026, 11, 30))


def test_it_says_which_persons_place_or_date_it_could_not_read(client, world, investigation, people):
    client.force_login(world.health)
    binh, chau = people["binh"], people["chau"]
    response = client.post(
        url(investigation), {"levels": ["1"], f"place_{binh.pk}": "Nhà văn hoá xã", f"from_{chau.pk}": "31/02/2026"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert str(ERROR_PERSON_PLACE % {"value": "Nhà văn hoá xã", "name": binh.full_name}) in body
    assert str(ERROR_PERSON_DATE % {"value": "31/02/2026", "name": chau.full_name}) in body
    assert 'value="Nhà văn hoá xã"' in body  # what was typed is kept
    assert not CaseStatus.objects.exists()


def test_it_asks_for_a_selection(client, world, investigation):
    client.force_login(world.health)
    response = client.post(url(investigation), {"place": "home"})
    assert response.status_code == 400
    assert str(ERROR_NOTHING_SELECTED) in response.content.decode()


def test_it_refuses_get_for_confirming(client, world, investigation):
    client.force_login(world.health)
    assert client.get(url(investigation), {"levels": ["1"], "place": "home"}).status_code == 405
    assert not CaseStatus.objects.exists()


def test_it_collapses_candidates_per_company_with_counts(client, world, investigation):
    client.force_login(world.health)
    body = client.get(url(investigation, "investigation")).content.decode()
    assert body.count('<details class="inv-company"') == 3  # C, B, and the people of no company
    assert body.index("Công ty Linh kiện Châu Á") < body.index("Công ty Điện tử Bình Minh")  # largest first
    assert "Tất cả F1 (3)" in body and "Tất cả F2 (2)" in body
    assert f'value="{C}:1"' in body and f'value="{C}"' in body
    assert "1 người theo dõi (không cần xác nhận)" in body


# The list


def test_the_list_counts_by_level_and_says_how_far_confirmation_went(client, world, investigation, people):
    client.force_login(world.health)
    listing = reverse("investigations")
    body = client.get(listing).content.decode()
    assert reverse("person", args=[world.ann.pk]) in body  # the index case links to the profile
    assert str(InvestigationStatus.DRAFT) in body
    confirm(investigation, world.health, ({people["chau"].pk}, Placement(QuarantinePlace.HOME)))
    response = client.get(listing)
    (row,) = response.context["rows"]
    assert [(c.label, c.confirmed, c.candidates) for c in row.levels] == [("F1", 1, 3), ("F2", 0, 2)]
    assert row.monitor == 1 and row.status == str(InvestigationStatus.PARTLY)
    everyone = selection_people(investigation.snapshot, levels=[1, 2])
    confirm(investigation, world.health, (everyone, Placement(QuarantinePlace.HOSPITAL)))  # a change: history rows
    (row,) = client.get(listing).context["rows"]
    assert [(c.confirmed, c.candidates) for c in row.levels] == [(3, 3), (2, 2)]  # people, not rows
    assert row.status == str(InvestigationStatus.CONFIRMED)


def test_the_list_pages_newest_first_and_reads_no_snapshot(client, world, investigation):
    for _n in range(50):
        investigation.pk = None
        investigation.save()
    client.force_login(world.health)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("investigations"))
    rows = response.context["rows"]
    assert len(rows) == 50 and rows[0].investigation.pk == investigation.pk  # the newest
    assert "Trang 1 / 2" in response.content.decode()
    assert not any("snapshot" in q["sql"] for q in queries.captured_queries)
    assert len(client.get(reverse("investigations"), {"page": 2}).context["rows"]) == 1


def test_saving_an_investigation_counts_its_people(client, world):
    from worktrace.tracing.tests.test_trace_views import trace

    record = trace(client, world)
    client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    assert Investigation.objects.get().counts == {"F1": 3}


# Scope


def test_a_company_focal_point_cannot_open_or_confirm_an_investigation(client, world, investigation):
    client.force_login(world.focal_a)  # Ann, the index case, is company A's own worker
    assert client.get(url(investigation, "investigation")).status_code == 403
    assert client.post(url(investigation), {"levels": ["1"], "place": "home"}).status_code == 403
    assert client.get(reverse("investigations")).status_code == 403
    assert not CaseStatus.objects.exists()


def test_given_tracing_a_focal_point_still_cannot_reach_another_companys_investigation(
    client, world, investigation, monkeypatch
):
    monkeypatch.setitem(
        ROLE_CAPABILITIES, Role.COMPANY_FOCAL, ROLE_CAPABILITIES[Role.COMPANY_FOCAL] | {Capability.TRACE}
    )
    client.force_login(world.focal_b)  # Ann works for company A
    assert client.get(url(investigation, "investigation")).status_code == 404
    assert client.post(url(investigation), {"levels": ["1"], "place": "home"}).status_code == 404
    assert world.ann.full_name not in client.get(reverse("investigations")).content.decode()
    assert not CaseStatus.objects.exists()


def test_facilities_offered_are_the_registrys(client, world, investigation):
    other = Facility.objects.create(name="Bệnh viện dã chiến số 2")
    client.force_login(world.health)
    body = client.get(url(investigation, "investigation")).content.decode()
    assert f'value="facility:{world.facility.pk}"' in body and f'value="facility:{other.pk}"' in body
