"""The issue's investigation in a real Chromium, on a laptop and on a 375 px phone: save a trace, tick "every F1"
of one company, send them to a facility, confirm; the page and the list then say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _sign_in(page, site_url):
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", "yte")
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")


def _saved_investigation(page, site_url, row: int) -> str:
    """Trace a demo worker with F1s at a company, save it; the investigation page's URL."""
    page.goto(f"{site_url}/nguoi/?q=nguyen")
    page.locator("table tbody tr a").nth(row).click()
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    page.goto(page.url.replace("/nguoi/", "/truy-vet/"))
    page.fill("input[name=purpose]", "Điều tra ca dương tính")
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#result")
    page.click("text=Lưu cuộc điều tra")
    page.wait_for_url(re.compile(r"/dieu-tra/\d+/$"))
    return page.url


@pytest.mark.parametrize(("width", "row"), [(1366, 0), (375, 1)])
def test_an_officer_confirms_every_f1_of_a_company_to_a_facility(browser, site_url, width, row):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        _sign_in(page, site_url)
        url = _saved_investigation(page, site_url, row)
        # The first company of the selection table with F1s: its F1 box.
        box = page.locator('.inv-companies input[name=companies][value$=":1"]').first
        token = box.get_attribute("value")
        company = token.split(":")[0]
        expected = int(box.locator("xpath=..").inner_text().strip())
        assert expected > 0
        box.check()
        # investigation.js ticked that company's F1s below (and counts them), though the server needs none of it.
        people = page.locator(f'ul[data-company="{company}"] input[name=people][data-level="1"]')
        assert people.count() == expected and all(people.nth(i).is_checked() for i in range(expected))
        assert f"Đã chọn: {expected} người" in page.locator("#picked").inner_text()
        facility = page.locator("select[name=place] option[value^='facility:']").first
        page.select_option("select[name=place]", facility.get_attribute("value"))
        facility_name = facility.inner_text().split(": ", 1)[1]
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
        page.locator("fieldset.inv-place button[type=submit]").click()
        page.wait_for_url(url)
        assert f"Đã xác nhận {expected} người" in page.locator("article.message").inner_text()

        block = page.locator(f"#dn-{company}")
        block.locator("summary").first.click()
        confirmed = block.locator(".inv-case", has_text=f"F1 · Cách ly tập trung · {facility_name}")
        assert confirmed.count() == expected
        assert f"{expected}/" in block.locator("summary .inv-counts").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"investigation-{width}.png"))

        page.goto(f"{site_url}/dieu-tra/")
        first = page.locator("table.inv-list tbody tr").first
        assert "Xác nhận một phần" in first.inner_text() or "Đã xác nhận" in first.inner_text()
        assert re.search(rf"F1 {expected}/\d+", first.inner_text())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
