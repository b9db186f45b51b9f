from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Group, GroupKind, Membership, Person
from worktrace.spreadsheets import safe_cell
from worktrace.text import match_key
from worktrace.tracing import engine
from worktrace.tracing.models import CaseLevel, CaseStatus, Investigation, TraceRecord
from worktrace.tracing.params import CUT_AFTER_LEVEL, ERROR_DATE_RANGE, ERROR_DEPTH, ERROR_LOOKBACK, MAX_DEPTH
from worktrace.tracing.views import ERROR_RESULT_GONE

PURPOSE = "Điều tra ca F0 ngày hôm nay"


def params(**extra):
    return {
        "reference": timezone.localdate().strftime("%d/%m/%Y"),
        "lookback": 2,
        "depth": 2,
        "close": ["team", "room", "vehicle", "trip", "location", "household"],
        "purpose": PURPOSE,
        **extra,
    }


def test_it_traces_across_companies_with_reasons(client, world):
    client.force_login(world.health)
    response = client.post(reverse("trace", args=[world.ann.pk]), params(), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Lê Minh Châu", "Phạm Thị Dung", "Hoàng Văn Hải"):
        assert name in body
    assert "Trần Văn Bình" not in body
    assert "Công ty Linh kiện Châu Á" in body  # Chau's company: the room crosses companies
    assert "Hộ ở cùng" in body  # Dung, a non-worker roommate, is a household contact
    entry = AuditEntry.objects.filter(action=Action.TRACE).get()
    assert entry.object_id == str(world.ann.pk) and entry.purpose == PURPOSE
    assert entry.detail["counts"]["F1"] == 3


def trace(client, world, **extra) -> TraceRecord:
    """Trace Ann on the page as the health officer; the result kept for export, print and save."""
    client.force_login(world.health)
    response = client.post(reverse("trace", args=[world.ann.pk]), params(**extra))
    assert response.status_code == 302
    record = TraceRecord.objects.latest("created_at")  # as stored, without the page's additions
    assert response["Location"] == f"{reverse('trace_result', args=[world.ann.pk])}?ket_qua={record.key}"
    return record


def sheet_values(content: bytes) -> list:
    """Every cell of every sheet (a summary, then one sheet per company)."""
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_it_shows_only_the_form_on_get_even_with_parameters(client, world):
    client.force_login(world.health)
    for query in ({}, params()):  # a GET never traces: the purpose must not travel in an address
        response = client.get(reverse("trace", args=[world.ann.pk]), query)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="purpose"' in body and 'method="post"' in body and 'id="result"' not in body
        assert "Lê Minh Châu" not in body
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()
    assert not TraceRecord.objects.exists()


def test_it_asks_for_a_purpose_before_tracing(client, world):
    client.force_login(world.health)
    response = client.post(reverse("trace", args=[world.ann.pk]), params(purpose=""))
    assert response.status_code == 200 and response.context["form"].errors["purpose"]
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()


def test_a_company_focal_point_cannot_trace(client, world):
    record = trace(client, world)
    client.force_login(world.focal_a)
    assert client.post(reverse("trace", args=[world.ann.pk]), params()).status_code == 403
    export = {"ket_qua": record.key}
    assert client.get(reverse("trace_export", args=[world.ann.pk]), export).status_code == 403
    client.force_login(world.zone_officer)
    assert client.post(reverse("trace", args=[world.ann.pk]), params()).status_code == 403
    assert AuditEntry.objects.filter(action=Action.TRACE).count() == 1  # the health officer's only
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_it_exports_xlsx_audited_and_neutralises_formulas(client, world):
    world.chau.full_name = '=HYPERLINK("http://x")'
    world.chau.save()
    record = trace(client, world)
    response = client.get(reverse("trace_export", args=[world.ann.pk]), {"ket_qua": record.key})
    assert response.status_code == 200
    values = sheet_values(response.content)
    assert '\'=HYPERLINK("http://x")' in values
    assert "Phạm Thị Dung" in values
    entry = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert world.dung.pk in entry.detail["people"] and entry.purpose == PURPOSE


def test_it_exports_what_was_on_screen_after_the_data_changed(client, world):
    record = trace(client, world)
    world.chau.full_name = "Tên mới sau khi truy vết"
    world.chau.save()
    Membership.objects.filter(person=world.dung).delete()  # Dung would no longer be found by a new trace
    response = client.get(reverse("trace_export", args=[world.ann.pk]), {"ket_qua": record.key})
    assert response.status_code == 200
    values = sheet_values(response.content)
    assert "Lê Minh Châu" in values and "Phạm Thị Dung" in values
    assert "Tên mới sau khi truy vết" not in values
    assert AuditEntry.objects.filter(action=Action.TRACE).count() == 1
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 1


def test_it_refuses_to_export_without_the_officers_own_kept_result(client, world):
    record = trace(client, world)
    url = reverse("trace_export", args=[world.ann.pk])
    assert client.get(url, params()).status_code == 404  # parameters alone no longer run a second trace
    assert client.get(url, {"ket_qua": "not-a-key"}).status_code == 404
    client.force_login(world.admin)  # another official may trace, but not reuse someone else's result
    assert client.get(url, {"ket_qua": record.key}).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_it_forgets_kept_results_after_a_while(client, world):
    record = trace(client, world)
    TraceRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - timezone.timedelta(hours=13))
    url = reverse("trace_export", args=[world.ann.pk])
    assert client.get(url, {"ket_qua": record.key}).status_code == 404
    trace(client, world)
    assert not TraceRecord.objects.filter(pk=record.pk).exists()  # purged when the next one was kept


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Nguyễn Thị Ánh") == "Nguyễn Thị Ánh"
    assert safe_cell("+84912") == "'+84912"
    assert safe_cell(12) == 12


def test_it_prints_the_kept_result_without_tracing_again(client, world):
    record = trace(client, world)
    response = client.get(reverse("trace_print", args=[world.ann.pk]), {"ket_qua": record.key})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Minh Châu" in body and "Phạm Thị Dung" in body and "<form" not in body
    assert AuditEntry.objects.filter(action=Action.TRACE).count() == 1


def test_saving_refuses_get(client, world):
    record = trace(client, world)
    assert client.get(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key}).status_code == 405
    assert not Investigation.objects.exists()


def test_it_saves_what_was_on_screen_with_one_audited_trace(client, world):
    record = trace(client, world, lookback=3)
    Membership.objects.filter(person=world.dung).delete()
    response = client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    assert response["Location"] == reverse("investigation", args=[investigation.pk])
    assert investigation.snapshot == record.document
    assert "Phạm Thị Dung" in {c["name"] for c in investigation.snapshot["contacts"]}
    assert (investigation.lookback_days, investigation.purpose) == (3, PURPOSE)
    assert AuditEntry.objects.filter(action=Action.TRACE).count() == 1


def test_it_does_not_save_a_result_it_no_longer_keeps(client, world):
    trace(client, world)
    response = client.post(reverse("investigation_save", args=[world.ann.pk]), params(), follow=True)
    assert not Investigation.objects.exists()
    assert str(ERROR_RESULT_GONE) in response.content.decode()


def test_it_saves_an_investigation_and_confirms_cases(client, world):
    record = trace(client, world)
    response = client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    assert response["Location"] == reverse("investigation", args=[investigation.pk])
    assert {c["name"] for c in investigation.snapshot["contacts"]} >= {"Lê Minh Châu", "Phạm Thị Dung"}
    assert CaseStatus.objects.get(person=world.ann).level == "F0"
    assert client.get(reverse("investigation_confirm", args=[investigation.pk])).status_code == 405
    client.post(
        reverse("investigation_confirm", args=[investigation.pk]),
        {"people": [world.chau.pk], "place": f"facility:{world.facility.pk}"},
    )
    case = CaseStatus.objects.get(person=world.chau)
    assert (case.level, case.quarantine_place, case.confirmed_by) == ("F1", "facility", world.health)
    assert AuditEntry.objects.filter(action=Action.CONFIRM_CASES, object_id=str(investigation.pk)).exists()
    body = client.get(reverse("investigation", args=[investigation.pk])).content.decode()
    assert "Lê Minh Châu" in body
    body = client.get(reverse("person", args=[world.chau.pk])).content.decode()
    assert "F1" in body and "Cách ly tập trung" in body


def test_it_has_a_case_level_for_every_level_a_trace_reaches():
    assert {f"F{level}" for level in range(MAX_DEPTH + 1)} <= set(CaseLevel.values)


def test_it_confirms_a_contact_of_a_deep_trace_at_its_level(client, world):
    # Chau (F1, Ann's roommate) lives with a chain of households: F2, F3, F4 at depth 4.
    since = timezone.now() - dt.timedelta(days=60)
    previous, chain = world.chau, []
    for n in (2, 3, 4):
        person = Person.objects.create(full_name=f"Người F{n}", national_id=f"02419000000{n}")
        household = Group.objects.create(kind=GroupKind.HOUSEHOLD, name=f"Hộ {n}", key=match_key(f"Hộ {n}"))
        for member in (previous, person):
            Membership.objects.create(person=member, group=household, start=since)
        previous = person
        chain.append(person)
    record = trace(client, world, depth=4)
    client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    client.post(reverse("investigation_confirm", args=[investigation.pk]), {"people": [chain[-1].pk]})
    case = CaseStatus.objects.get(person=chain[-1])
    case.full_clean()  # "F4" is one of the level's choices, so the admin can open and save it
    assert (case.level, case.get_level_display()) == ("F4", "F4")


def test_it_refuses_to_confirm_someone_not_in_the_result(client, world):
    record = trace(client, world)
    client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    url = reverse("investigation_confirm", args=[investigation.pk])
    response = client.post(url, {"people": [world.binh.pk]})
    assert response.status_code == 400  # the page again, saying what was wrong
    assert not CaseStatus.objects.filter(person=world.binh).exists()
    assert "Hãy chọn người cần xác nhận." in response.content.decode()  # Binh is not among the choices


def test_it_answers_a_form_error_for_extreme_values(client, world):
    client.force_login(world.health)
    url = reverse("trace", args=[world.ann.pk])
    cases = [
        ({"reference": "01/01/0001"}, "reference", ERROR_DATE_RANGE),
        ({"isolated_on": "31/12/9999"}, "isolated_on", ERROR_DATE_RANGE),
        ({"lookback": "99999999999999999999"}, "lookback", ERROR_LOOKBACK),
        ({"lookback": "-1"}, "lookback", ERROR_LOOKBACK),
        ({"depth": "6"}, "depth", ERROR_DEPTH),
    ]
    for extra, field, message in cases:
        response = client.post(url, params(**extra))
        assert response.status_code == 200, extra
        errors = response.context["form"].errors[field]
        assert any(e.startswith(str(message).split("%")[0]) for e in errors), (extra, errors)
        assert 'id="result"' not in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()


def test_it_says_where_a_trace_was_cut_and_how_to_narrow_it(client, world, monkeypatch):
    monkeypatch.setattr(engine, "MAX_PEOPLE", 1)  # Ann's three F1 pass a bound of one person
    record = trace(client, world)
    assert record.document["cut_after"] == 1
    assert {c["level"] for c in record.document["contacts"]} == {1}
    body = client.get(reverse("trace_result", args=[world.ann.pk]), {"ket_qua": record.key}).content.decode()
    assert str(CUT_AFTER_LEVEL).split("%")[0] in body
    assert AuditEntry.objects.filter(action=Action.TRACE).get().detail["cut_after"] == 1
