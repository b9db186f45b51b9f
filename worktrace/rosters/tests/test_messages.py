"""Messages are Vietnamese first, English when the page is in English (this app's own catalogue)."""

from __future__ import annotations

from django.utils import translation

from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker


def test_it_reports_in_english_when_asked(world):
    data = roster_bytes(
        [worker("A001", "Nguyễn Thị Ánh", "024301001111", birth="31/02/2001")],
        company={"name": "Công ty May An Phát", "tax_code": "2400000101"},
    )
    with translation.override("en"):
        outcome = roster_import(data=data, filename="a.xlsx")
    assert outcome.errors[0]["message"] == "Cannot read the date (use dd/mm/yyyy)."
    outcome = roster_import(data=data, filename="a.xlsx")
    assert outcome.errors[0]["message"] == "Không đọc được ngày (dùng dd/mm/yyyy)."
