from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from worktrace.audit.models import Action, AuditEntry
from worktrace.spreadsheets import safe_cell
from worktrace.tracing.models import CaseStatus, Investigation

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
    response = client.get(reverse("trace", args=[world.ann.pk]), params())
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


def test_it_shows_only_the_form_until_a_purpose_is_given(client, world):
    client.force_login(world.health)
    body = client.get(reverse("trace", args=[world.ann.pk])).content.decode()
    assert "Lê Minh Châu" not in body
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()


def test_a_company_focal_point_cannot_trace(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("trace", args=[world.ann.pk]), params()).status_code == 403
    assert client.get(reverse("trace_export", args=[world.ann.pk]), params()).status_code == 403
    client.force_login(world.zone_officer)
    assert client.get(reverse("trace", args=[world.ann.pk]), params()).status_code == 403


def test_it_exports_xlsx_audited_and_neutralises_formulas(client, world):
    world.chau.full_name = '=HYPERLINK("http://x")'
    world.chau.save()
    client.force_login(world.health)
    response = client.get(reverse("trace_export", args=[world.ann.pk]), params())
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert '\'=HYPERLINK("http://x")' in values
    assert "Phạm Thị Dung" in values
    entry = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert world.dung.pk in entry.detail["people"]


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Nguyễn Thị Ánh") == "Nguyễn Thị Ánh"
    assert safe_cell("+84912") == "'+84912"
    assert safe_cell(12) == 12


def test_it_prints(client, world):
    client.force_login(world.health)
    body = client.get(reverse("trace", args=[world.ann.pk]), params(**{"in": 1})).content.decode()
    assert "Lê Minh Châu" in body and "<form" not in body


def test_it_draws_the_graph_from_local_cytoscape(client, world):
    client.force_login(world.health)
    body = client.get(reverse("trace", args=[world.ann.pk]), params()).content.decode()
    assert "/static/vendor/cytoscape/cytoscape.min.js" in body
    assert '"kind": "room"' in body
    assert client.get("/static/vendor/cytoscape/cytoscape.min.js").status_code == 200


def test_saving_refuses_get(client, world):
    client.force_login(world.health)
    assert client.get(reverse("investigation_save", args=[world.ann.pk]), params()).status_code == 405
    assert not Investigation.objects.exists()


def test_it_saves_an_investigation_and_confirms_cases(client, world):
    client.force_login(world.health)
    response = client.post(reverse("investigation_save", args=[world.ann.pk]), params())
    investigation = Investigation.objects.get()
    assert response["Location"] == reverse("investigation", args=[investigation.pk])
    assert {c["name"] for c in investigation.snapshot["contacts"]} >= {"Lê Minh Châu", "Phạm Thị Dung"}
    assert CaseStatus.objects.get(person=world.ann).level == "F0"
    assert client.get(reverse("investigation_confirm", args=[investigation.pk])).status_code == 405
    client.post(
        reverse("investigation_confirm", args=[investigation.pk]),
        {"people": [world.chau.pk], "quarantine_place": "facility"},
    )
    case = CaseStatus.objects.get(person=world.chau)
    assert (case.level, case.quarantine_place, case.confirmed_by) == ("F1", "facility", world.health)
    assert AuditEntry.objects.filter(action=Action.CONFIRM_CASES, object_id=str(investigation.pk)).exists()
    body = client.get(reverse("investigation", args=[investigation.pk])).content.decode()
    assert "Lê Minh Châu" in body
    body = client.get(reverse("person", args=[world.chau.pk])).content.decode()
    assert "F1" in body and "Cách ly tập trung" in body


def test_it_refuses_to_confirm_someone_not_in_the_result(client, world):
    client.force_login(world.health)
    client.post(reverse("investigation_save", args=[world.ann.pk]), params())
    investigation = Investigation.objects.get()
    client.post(reverse("investigation_confirm", args=[investigation.pk]), {"people": [world.binh.pk]})
    assert not CaseStatus.objects.filter(person=world.binh).exists()


def test_english_is_available(client, world):
    client.force_login(world.health)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("trace", args=[world.ann.pk]), params()).content.decode()
    assert "Exposure window" in body and "Download Excel (.xlsx)" in body
    assert "Trace from this person" in client.get(reverse("person", args=[world.ann.pk])).content.decode()


def test_the_window_is_shown_dd_mm_yyyy(client, world):
    client.force_login(world.health)
    body = client.get(reverse("trace", args=[world.ann.pk]), params(reference="10/06/2021")).content.decode()
    assert "08/06/2021 00:00 → 11/06/2021 00:00" in body
