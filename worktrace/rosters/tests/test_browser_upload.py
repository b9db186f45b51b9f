"""In headless Chromium, desktop and phone: a roster upload previewed then applied, the large-leave warning that
needs a second confirmation, and undoing an import. Each test undoes what it applied (the site is shared)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from worktrace.rosters.columns import SHEET_WORKERS

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.fixture(params=list(VIEWPORTS))
def signed_in(request, browser, site_url):
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", "dn1")
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")
    yield page, request.param
    context.close()


def _exported_roster(page, site_url) -> bytes:
    page.goto(f"{site_url}/danh-sach/")
    page.select_option("select[name=scope]", "company")
    page.locator("select[name=company]").nth(1).select_option(index=1)
    page.fill("input[name=purpose]", "Cập nhật danh sách")
    with page.expect_download() as download:
        page.click("button:has-text('Xuất tệp .xlsx')")
    return download.value.path().read_bytes()


def _edited(data: bytes, *, keep: int | None = None, move: int = 0, drop: int = 0) -> tuple[bytes, int]:
    """The workbook with ``move`` workers moved to another team and the last ``drop`` (or all after ``keep``)
    removed; returns it and how many workers it had."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET_WORKERS]
    header = next(r for r in range(1, 30) if sheet.cell(r, 2).value and "Mã công nhân" in str(sheet.cell(r, 2).value))
    team = next(c for c in range(1, sheet.max_column + 1) if str(sheet.cell(header, c).value).startswith("Tổ/Nhóm"))
    workers = sheet.max_row - header
    for r in range(header + 1, header + 1 + move):
        sheet.cell(r, team).value = "Tổ Mới Chuyển Đến"
    last = header + (keep if keep is not None else workers - drop)
    if last < sheet.max_row:
        sheet.delete_rows(last + 1, sheet.max_row - last)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), workers


def _upload(page, site_url, data: bytes, tmp_path) -> None:
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(data)
    page.goto(f"{site_url}/danh-sach/")
    page.locator("form[action$='/tai-len/'] select[name=company]").select_option(index=1)
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Tải lên và kiểm tra')")
    page.wait_for_url(re.compile(r"/lan-nhap/\d+/$"))


def _undo(page) -> None:
    page.click("button:has-text('Hoàn tác lượt nhập này')")
    page.wait_for_url(re.compile(r"/lan-nhap/\d+/$"))
    assert page.get_by_text("Đã hoàn tác lượt nhập").is_visible()
    assert "Đã hoàn tác" in page.locator("dl.facts").inner_text()


def test_an_upload_is_previewed_then_applied_then_undone(signed_in, site_url, tmp_path):
    page, viewport = signed_in
    data, _workers = _edited(_exported_roster(page, site_url), move=3, drop=2)
    _upload(page, site_url, data, tmp_path)
    assert page.locator("h1").inner_text() == "Xem trước thay đổi danh sách"
    assert page.get_by_text("Chưa có gì thay đổi.").is_visible()
    rows = [r.split("\t") for r in page.locator("#by-workshop tbody tr").all_inner_texts()]
    assert [sum(int(r[i]) for r in rows) for i in (1, 2, 3)] == [0, 2, 3]  # new, leaving, moved by workshop
    assert page.locator("#large-leave").count() == 0 and page.locator("input[name=confirm_large_leave]").count() == 0
    assert page.locator("text=Tổ Mới Chuyển Đến").count() == 3  # the moves, named in the change list
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"] + 1  # no overflow
    page.click("button:has-text('Áp dụng thay đổi')")
    page.wait_for_url(re.compile(r"/lan-nhap/\d+/$"))
    assert page.locator("h1").inner_text() == "Kết quả nhập danh sách"
    assert "Đã áp dụng" in page.locator("dl.facts").inner_text()
    stats = page.locator(".stats").inner_text()
    assert "2\nnghỉ việc" in stats and "3\nchuyển" in stats
    _undo(page)


def test_a_large_leave_needs_a_second_confirmation(signed_in, site_url, tmp_path):
    page, _viewport = signed_in
    data, workers = _edited(_exported_roster(page, site_url), keep=2)
    _upload(page, site_url, data, tmp_path)
    warning = page.locator("#large-leave")
    assert warning.is_visible()
    share = round((workers - 2) * 100 / workers)
    assert f"Tệp này sẽ cho {workers - 2}/{workers} công nhân ({share}%) nghỉ việc" in warning.inner_text()
    page.click("button:has-text('Áp dụng thay đổi')")  # not confirmed: the page stays, nothing applied
    assert page.locator("h1").inner_text() == "Xem trước thay đổi danh sách"
    page.check("input[name=confirm_large_leave]")
    page.click("button:has-text('Áp dụng thay đổi')")
    page.wait_for_url(re.compile(r"/lan-nhap/\d+/$"))
    assert "Đã áp dụng" in page.locator("dl.facts").inner_text()
    _undo(page)
