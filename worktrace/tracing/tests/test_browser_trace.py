"""The issue's "done when", in a real Chromium: find a worker by part of a name without diacritics, open the
profile, trace, read F1/F2 with reasons grouped by company, export, and use the graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_an_official_traces_a_worker_end_to_end(page, site_url, tmp_path):
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", "yte")
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")

    page.click("text=Người lao động")
    page.fill("input[name=q]", "nguyen thi")
    page.click("button:has-text('Lọc')")
    first = page.locator("table tbody tr:first-child a").first
    name = first.inner_text()
    assert name.startswith("Nguyễn Thị")
    first.click()
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    assert page.locator("#related h3").count() >= 1  # related people grouped by relation

    page.click("text=Truy vết từ người này")
    page.fill("input[name=purpose]", "Điều tra ca dương tính")
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#result")
    assert page.locator("h1").inner_text() == f"Truy vết: {name}"
    assert page.locator("tr.contact.level-f1").count() > 0
    assert page.locator("tr.contact.level-f2").count() > 0
    assert page.locator(".company-block h3").count() >= 1
    assert "qua" in page.locator("tr.contact.level-f2 td.why").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trace.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "trace-top.png"))

    with page.expect_download() as download:
        page.click("text=Tải Excel (.xlsx)")
    saved = tmp_path / "trace.xlsx"
    download.value.save_as(saved)
    rows = [row for sheet in load_workbook(saved) for row in sheet.iter_rows(values_only=True)]
    assert any(row[0] == "F1" for row in rows) and any(row[0] == "F2" for row in rows)

    # Not wait_for_function: Playwright polls it with eval, which the Content-Security-Policy refuses. graph.js
    # sets window.worktraceGraph in the same task that draws the canvas.
    page.wait_for_selector("#graph canvas", state="attached")
    assert page.evaluate("window.worktraceGraph.nodes().length") > 1
    assert page.locator("#graph canvas").count() > 0
    page.locator("#graph").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "trace-graph.png"))
    target = page.evaluate("window.worktraceGraph.nodes(\"[kind = 'person']\")[1].id()")
    page.evaluate("window.worktraceGraph.nodes(\"[kind = 'person']\")[1].emit('tap')")
    page.wait_for_url(f"{site_url}/nguoi/{target}/")
