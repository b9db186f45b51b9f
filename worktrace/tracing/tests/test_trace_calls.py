"""The result page's summary, each company's call list (page and .xlsx) and the whole export, read back."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from worktrace.accounts.masking import Masker
from worktrace.audit.models import Action, AuditEntry
from worktrace.tracing.export import trace_workbook
from worktrace.tracing.models import TraceRecord
from worktrace.tracing.results import NO_COMPANY_SLUG, result_display
from worktrace.tracing.tests.test_trace_views import PURPOSE, trace


def result_url(name: str, world, record: TraceRecord, *args) -> str:
    return f"{reverse(name, args=[world.ann.pk, *args])}?ket_qua={record.key}"


def test_it_shows_the_summary_first_with_phones_and_folded_reasons(client, world):
    record = trace(client, world)
    response = client.get(result_url("trace_result", world, record))
    body = response.content.decode()
    assert body.index('id="trace-levels"') < body.index('id="trace-companies"') < body.index('id="people"')
    assert '<span class="badge level-f1">F1: 3</span>' in body
    summary = response.context["summary"]
    assert [(c.name, c.total) for c in summary.companies] == [
        ("Công ty Linh kiện Châu Á", 1),  # Chau, Ann's roommate, works there
        ("Không thuộc doanh nghiệp nào", 2),  # Dung (a co-resident) and Hai (the driver)
    ]
    assert dict(summary.kinds)["Phòng ở"] == 1 and dict(summary.kinds)["Hộ ở cùng"] == 1  # Chau; Dung
    assert "0912000333" in body and "C001" in body  # Chau's phone and worker code
    assert "Phòng ở · Phòng 3 – Nhà trọ Bà Tư: qua" in body
    calls = reverse("trace_calls", args=[world.ann.pk, world.chau.employments.get().company.tax_code])
    assert f'href="{calls}?ket_qua={record.key}"' in body  # one click to the call list
    entry = AuditEntry.objects.filter(action=Action.LIST_PEOPLE).get()
    assert entry.detail["what"] == "trace.result" and world.chau.pk in entry.detail["people"]


def test_it_gives_each_company_its_call_list_naming_nobody_else(client, world):
    record = trace(client, world)
    tax_code = world.company_c.tax_code
    response = client.get(result_url("trace_calls", world, record, tax_code))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Minh Châu" in body and "0912000333" in body and "Phân xưởng May › Tổ 1" in body
    assert "Phòng ở · Phòng 3 – Nhà trọ Bà Tư: qua 1 F0" in body
    for other in ("Nguyễn Thị Ánh ", "Phạm Thị Dung", "Hoàng Văn Hải"):  # F0 and other companies' people
        assert other not in body.split("</h1>", 1)[1], other
    entry = AuditEntry.objects.filter(action=Action.LIST_PEOPLE).get()
    assert (entry.detail["what"], entry.detail["company"], entry.detail["people"]) == (
        "trace.calls",
        tax_code,
        [world.chau.pk],
    )
    assert entry.purpose == PURPOSE
    others = client.get(result_url("trace_calls", world, record, NO_COMPANY_SLUG)).content.decode()
    assert "Phạm Thị Dung" in others and "Hoàng Văn Hải" in others and "Lê Minh Châu" not in others


def test_it_downloads_a_call_list_as_xlsx_audited(client, world):
    record = trace(client, world)
    response = client.get(result_url("trace_calls_export", world, record, world.company_c.tax_code))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Phân loại", "Họ và tên", "Số điện thoại", "Mã công nhân")
    assert rows[1][:4] == ("F1", "Lê Minh Châu", "0912000333", "C001")
    assert "Nguyễn Thị Ánh" not in rows[1][6]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G2"
    entry = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert entry.detail["what"] == "trace.calls.xlsx" and entry.detail["people"] == [world.chau.pk]


def test_it_refuses_call_lists_without_the_officers_result_or_for_a_company_not_in_it(client, world):
    record = trace(client, world)
    assert client.get(result_url("trace_calls", world, record, world.company_b.tax_code)).status_code == 404
    client.force_login(world.admin)  # another official: not their kept result
    assert client.get(result_url("trace_calls", world, record, world.company_c.tax_code)).status_code == 404
    client.force_login(world.zone_officer)  # a zone board may not trace, so it gets no call lists from a trace
    assert client.get(result_url("trace_calls", world, record, world.company_c.tax_code)).status_code == 403
    assert not AuditEntry.objects.filter(action__in=[Action.LIST_PEOPLE, Action.EXPORT]).exists()


def test_it_pages_a_long_result_and_keeps_the_summary(client, world, monkeypatch):
    from worktrace.tracing import results

    monkeypatch.setattr(results, "PAGE_ROWS", 1)
    record = trace(client, world)
    body = client.get(result_url("trace_result", world, record) + "&trang=3").content.decode()
    assert 'id="trace-companies"' in body and 'aria-current="page">3<' in body
    people = body.split('id="people"', 1)[1]
    assert sum(name in people for name in ("Lê Minh Châu", "Phạm Thị Dung", "Hoàng Văn Hải")) == 1


def test_the_export_has_a_summary_then_a_sheet_per_company_one_row_per_person(client, world):
    record = trace(client, world)
    response = client.get(result_url("trace_export", world, record))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tóm tắt", "Công ty Linh kiện Châu Á", "Không thuộc doanh nghiệp nào"]
    summary = [row[:2] for row in book["Tóm tắt"].iter_rows(values_only=True)]
    assert ("F1", 3) in summary and ("Tổng số người", 3) in summary
    sheet = book["Không thuộc doanh nghiệp nào"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Phân loại",
        "Họ và tên",
        "Số CCCD/CMND",
        "Số điện thoại",
        "Mã công nhân",
        "Phân xưởng",
        "Tổ",
        "Địa chỉ thường trú",
        "Lý do",
    )
    assert sorted(r[1] for r in rows[1:]) == ["Hoàng Văn Hải", "Phạm Thị Dung"]  # one row per person
    dung = next(r for r in rows if r[1] == "Phạm Thị Dung")
    assert dung[3] == "0912000444" and "; " in dung[8]  # phone for the health role; her reasons joined
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I3"
    assert sheet.column_dimensions["I"].width == 80


def test_the_export_masks_phones_ids_and_addresses_for_a_role_that_sees_them_masked(client, world):
    # No role that traces sees identifiers masked today; the workbook still masks through the Masker it is given.
    world.dung.permanent_address = "thôn Núi Hiểu, xã Quang Châu"
    world.dung.save()
    record = trace(client, world)
    for reveal in (True, False):
        fresh = TraceRecord.objects.get(pk=record.pk).document
        book = load_workbook(
            io.BytesIO(trace_workbook(result_display(fresh, masker=Masker(reveal)), masker=Masker(reveal)))
        )
        dung = next(
            r for r in book["Không thuộc doanh nghiệp nào"].iter_rows(values_only=True) if r[1] == "Phạm Thị Dung"
        )
        if reveal:
            assert (dung[2], dung[3], dung[7]) == ("024175004444", "0912000444", "thôn Núi Hiểu, xã Quang Châu")
        else:
            assert dung[2].endswith("444") and "024175004444" not in dung[2]
            assert dung[3] == "091••••444" and not dung[7]
