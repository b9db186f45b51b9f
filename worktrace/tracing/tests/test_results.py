"""Folding reasons, the summary, the rows by company → workshop → team, paging and call lists (results.py),
on hand-written documents shaped like ``trace_document(..., with_ids=True)``."""

from __future__ import annotations

import datetime as dt

from worktrace.accounts.masking import Masker
from worktrace.tracing import results
from worktrace.tracing.results import (
    _span,
    call_list,
    result_display,
    result_rows,
    result_summary,
    rows_page,
)

TZ = "+07:00"


def at(day: int, hour: int = 0, minute: int = 0) -> str:
    return dt.datetime(2021, 11, day, hour, minute).isoformat() + TZ


def relation(kind: str, group: str, via_id: int, start: str, end: str, group_id: int = 0, **extra) -> dict:
    return {"kind": kind, "group": group, "via_id": via_id, "from": start, "to": end, "group_id": group_id, **extra}


def trip(n: int, via_id: int, day: int, hour: int) -> dict:
    name = f"98B-100.07 {day:02d}/11 {hour:02d}:30 – Xe 98B-100.07"
    return relation("trip", name, via_id, at(day, hour, 30), at(day, hour + 1, 20), 100 + n, vehicle="Xe 98B-100.07")


def contact(pk: int, name: str, level: int, relations: list, *, close: bool = True, company=None, **extra) -> dict:
    companies = [list(company)] if company else []
    return {
        "id": pk,
        "national_id": f"0240000000{pk:02d}",
        "name": name,
        "level": level,
        "close": close,
        "relations": relations,
        "companies": companies,
        "phone": f"09120000{pk:02d}",
        **extra,
    }


A = ("2400000101", "Công ty May An Phát")
B = ("2400000102", "Công ty Điện tử Bình Minh")


def document(contacts: list) -> dict:
    return {
        "index": {"id": 1, "name": "Nguyễn Thị Ánh", "national_id": "024301001111"},
        "window": {"from": at(21), "to": at(24)},
        "contacts": contacts,
    }


def shown(contacts: list) -> dict:
    return result_display(document(contacts), masker=Masker(reveal=True))


def lines_of(doc: dict, pk: int):
    summary = result_summary(doc)
    return next(r for r in result_rows(doc, summary) if r.contact["id"] == pk).lines


def test_it_names_the_days_or_the_hours_a_reason_covers():
    assert _span(dt.datetime(2021, 11, 21), dt.datetime(2021, 11, 24)) == "21–23/11"
    assert _span(dt.datetime(2021, 11, 30), dt.datetime(2021, 12, 3)) == "30/11–02/12"
    assert _span(dt.datetime(2021, 11, 21, 6, 30), dt.datetime(2021, 11, 21, 7, 20)) == "21/11 06:30–07:20"
    assert _span(dt.datetime(2021, 11, 21), dt.datetime(2021, 11, 22)) == "21/11"
    assert _span(dt.datetime(2021, 12, 31), dt.datetime(2022, 1, 2)) == "31/12/2021–01/01/2022"


def test_it_folds_the_trips_of_one_bus_into_one_line():
    f1s = [contact(pk, f"F1 số {pk}", 1, [relation("team", "Tổ 1", 1, at(21), at(24))], company=A) for pk in (2, 3)]
    rides = [trip(n, 2 + n % 2, 21 + n // 4, 6 + 10 * (n % 2)) for n in range(9)]
    f2 = contact(9, "Người F2", 2, rides, company=B)
    lines = lines_of(shown([*f1s, f2]), 9)
    assert len(lines) == 1
    line = lines[0]
    assert line.text == "Xe đưa đón · Xe 98B-100.07: 9 chuyến, qua 2 F1 · 21–23/11"
    assert len(line.trips) == 9 and line.trips[0] == "21/11 06:30"
    html = str(line.html)
    assert html.startswith("<details><summary>") and 'href="/nguoi/2/"' in html and "21/11 16:30" in html


def test_it_folds_a_bus_and_its_trips_together_and_keeps_other_groups_apart():
    reasons = [
        relation("vehicle", "Xe 98B-100.07", 1, at(21), at(24), 50),
        trip(1, 1, 22, 6),
        relation("room", "Phòng 3 – Nhà trọ Bà Tư", 1, at(21), at(24), 60),
    ]
    lines = lines_of(shown([contact(2, "Lê Minh Châu", 1, reasons, company=A)]), 2)
    assert [line.text for line in lines] == [
        "Xe đưa đón · Xe 98B-100.07: 1 chuyến, qua Nguyễn Thị Ánh (F0) · 21–23/11",
        "Phòng ở · Phòng 3 – Nhà trọ Bà Tư: qua Nguyễn Thị Ánh (F0) · 21–23/11",
    ]
    # One person reached through, one trip: a plain line with the link, nothing to expand.
    assert str(lines[1].html).startswith("<p>") and 'href="/nguoi/1/"' in str(lines[1].html)


def test_a_call_list_reason_names_nobody():
    doc = shown([contact(2, "Lê Minh Châu", 1, [relation("room", "Phòng 3", 1, at(21), at(24))], company=A)])
    line = lines_of(doc, 2)[0]
    assert line.brief == "Phòng ở · Phòng 3: qua 1 F0 · 21–23/11"
    assert "Nguyễn Thị Ánh" not in line.brief and "Nguyễn Thị Ánh" in line.text


def test_it_escapes_names_in_the_lines_it_builds():
    doc = document([contact(2, "<b>x</b>", 1, [relation("room", "<i>Phòng</i>", 1, at(21), at(24))], company=A)])
    doc["index"]["name"] = "<script>"
    doc = result_display(doc, masker=Masker(reveal=True))
    html = str(lines_of(doc, 2)[0].html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;i&gt;Phòng" in html


def test_it_counts_by_level_kind_and_company():
    room = relation("room", "Phòng 3", 1, at(21), at(24))
    house = relation("boarding_house", "Nhà trọ Bà Tư", 1, at(21), at(24))
    doc = shown(
        [
            contact(2, "An", 1, [room, house], company=A),
            contact(3, "Bảo", 2, [relation("team", "Tổ 1", 2, at(21), at(24))], company=A),
            contact(4, "Cúc", 1, [house], close=False, company=B),
            contact(5, "Dũng", 1, [room]),  # a roommate who works nowhere
        ]
    )
    doc["contacts"][1]["companies"].append(list(B))  # Bảo holds a second job at B: listed at each company
    summary = result_summary(doc)
    assert summary.total == 4
    assert summary.levels == [("F1", 2), ("F2", 1), ("Theo dõi", 1)]
    assert dict(summary.kinds) == {"Phòng ở": 2, "Nhà trọ/Ký túc xá": 2, "Tổ/Nhóm": 1}
    assert [(c.tax_code, c.total, c.columns) for c in summary.companies] == [
        (A[0], 2, [("F1", 1), ("F2", 1), ("Theo dõi", 0)]),
        (B[0], 2, [("F1", 0), ("F2", 1), ("Theo dõi", 1)]),
        ("", 1, [("F1", 1), ("F2", 0), ("Theo dõi", 0)]),  # no company: last
    ]


def test_it_lists_the_f0s_team_first_and_pages_by_rows(monkeypatch):
    monkeypatch.setattr(results, "PAGE_ROWS", 2)
    room = [relation("room", "Phòng 3", 1, at(21), at(24))]
    doc = shown(
        [
            contact(2, "An", 1, room, company=A, workshop="Phân xưởng Z", team="Tổ 9"),
            contact(3, "Bảo", 2, room, company=A, workshop="Phân xưởng A", team="Tổ 1"),
            contact(4, "Cúc", 2, room, company=A, workshop="Phân xưởng Z", team="Tổ 1"),
            contact(5, "Dũng", 2, room, company=B, workshop="Phân xưởng B", team="Tổ 2"),
        ]
    )
    summary = result_summary(doc)
    rows = result_rows(doc, summary)
    # "Phân xưởng Z" holds the F1, so it comes before "Phân xưởng A"; inside it "Tổ 9" (the F1's) before "Tổ 1".
    assert [r.contact["name"] for r in rows] == ["An", "Cúc", "Bảo", "Dũng"]
    assert [c.page for c in summary.companies] == [1, 2]
    page, blocks = rows_page(rows, 2)
    assert page.number == 2 and [b.company.tax_code for b in blocks] == [A[0], B[0]]
    assert blocks[0].continued and not blocks[1].continued  # A began on page 1
    assert [w.name for w in blocks[0].workshops] == ["Phân xưởng A"]
    _page, first = rows_page(rows, "not a number")  # a bad page number shows the first page
    assert not first[0].continued and [t.name for t in first[0].workshops[0].teams] == ["Tổ 9", "Tổ 1"]


def test_a_call_list_puts_f1_first_and_holds_only_that_company():
    room = [relation("room", "Phòng 3", 1, at(21), at(24))]
    doc = shown(
        [
            contact(2, "An", 2, room, company=A, workshop="Phân xưởng A", team="Tổ 1", worker_codes={A[0]: "A2"}),
            contact(3, "Bảo", 1, room, company=A, workshop="Phân xưởng B", team="Tổ 1", worker_codes={A[0]: "A3"}),
            contact(4, "Cúc", 1, room, close=False, company=A),
            contact(5, "Dũng", 1, room, company=B),
        ]
    )
    calls = call_list(result_rows(doc, result_summary(doc)), A[0])
    assert [(r.contact["name"], r.contact["label"], r.worker_code) for r in calls] == [
        ("Bảo", "F1", "A3"),
        ("An", "F2", "A2"),
        ("Cúc", "Theo dõi", ""),
    ]


def test_it_masks_phones_and_ids_for_a_role_that_sees_them_masked():
    doc = result_display(
        document([contact(2, "An", 1, [relation("room", "P", 1, at(21), at(24))])]), masker=Masker(reveal=False)
    )
    person = doc["contacts"][0]
    assert person["phone_shown"] == "091••••002" and person["national_id_shown"].endswith("002")
    assert "0912000002" not in person["phone_shown"]
