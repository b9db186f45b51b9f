"""The trace result as a health officer uses it, on a laptop and on a 375 px phone: the summary first, a
reason folded then expanded, a company's call list one click away, and the workbook read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

ARTIFACTS_DIR = Path(__file__).resolve().parents[3] / "test-artifacts"


def _sign_in_and_trace(page, site_url) -> None:
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", "yte")
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")
    page.goto(f"{site_url}/nguoi/?q=nguyen+thi")
    page.locator("table tbody tr:first-child a").first.click()
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    page.click("text=Truy vết từ người này")
    page.fill("input[name=purpose]", "Điều tra ca dương tính")
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#result")


@pytest.mark.parametrize("width", [1366, 375])
def test_an_officer_reads_the_summary_expands_a_reason_and_opens_a_call_list(browser, site_url, tmp_path, width):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    _sign_in_and_trace(page, site_url)
    assert "/ket-qua/?ket_qua=" in page.url and "purpose" not in page.url  # POST: the purpose stays out of it
    # The first screen answers how many, of which level, at which companies.
    levels = page.locator("#trace-levels")
    assert levels.locator(".badge.level-f1").count() == 1 and levels.is_visible()
    companies = page.locator("#trace-companies tbody tr")
    assert companies.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing off-screen
    page.screenshot(path=str(ARTIFACTS_DIR / f"trace-result-{width}.png"))

    # A folded reason: one line, expanded on a click, showing whom it went through.
    folded = page.locator("td.why details").first
    folded.scroll_into_view_if_needed()
    why = folded.locator("xpath=ancestor::td")
    box = why.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width  # reasons on screen
    assert not folded.locator("p").is_visible()
    folded.locator("summary").click()
    assert folded.locator("p").is_visible() and "qua" in folded.locator("p").inner_text()
    page.screenshot(path=str(ARTIFACTS_DIR / f"trace-expanded-{width}.png"))

    # The whole export: a summary sheet, then a sheet per company, one row per person, phones for this role.
    if width == 1366:
        with page.expect_download() as download:
            page.click("text=Tải Excel (.xlsx)")
        saved = tmp_path / "trace.xlsx"
        download.value.save_as(saved)
        book = load_workbook(saved)
        assert book.sheetnames[0] == "Tóm tắt" and len(book.sheetnames) >= 2
        people = [row for sheet in book.worksheets[1:] for row in sheet.iter_rows(min_row=2, values_only=True)]
        per_sheet = [[row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] for sheet in book.worksheets[1:]]
        assert all(len(ids) == len(set(ids)) for ids in per_sheet)  # one row per person in each company's sheet
        assert any(row[3] and "•" not in row[3] for row in people)  # the health role sees phones whole

    # The call list of the first company, one click from the summary.
    first = companies.first
    name = first.locator("td.name").inner_text()
    first.locator("a:has-text('Danh sách gọi')").click()
    page.wait_for_selector("#calls-levels")
    assert name in page.locator("h1").inner_text()
    rows = page.locator("table.calls-table tr.contact")
    assert rows.count() >= 1
    assert rows.first.locator(".badge").inner_text() in {"F1", "F2", "Theo dõi"}
    assert re.search(r"\d{9,}", rows.first.locator("td.phone").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS_DIR / f"trace-calls-{width}.png"))
    with page.expect_download() as download:
        page.click("text=Tải Excel (.xlsx)")
    saved = tmp_path / "calls.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet.freeze_panes == "A2" and sheet.max_row == rows.count() + 1
    context.close()
