"""At 375 px the lists are cards that fit the screen: the page itself never scrolls sideways."""

from __future__ import annotations

import pytest

from worktrace.front.tests.test_browser import _sign_in

pytestmark = pytest.mark.browser

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("username", "path"), [("yte", "/"), ("yte", "/nguoi/"), ("admin", "/nhat-ky/"), ("dn1", "/")])
def test_it_fits_a_phone_without_sideways_scroll(phone, site_url, username, path):
    _sign_in(phone, site_url, username)
    phone.goto(f"{site_url}{path}")
    assert phone.evaluate(PAGE_WIDTH) <= 375


def test_it_shows_each_person_as_a_card_naming_its_fields(phone, site_url):
    _sign_in(phone, site_url, "yte")
    phone.goto(f"{site_url}/nguoi/")
    row = phone.locator("table.cards tbody tr").first
    box = row.bounding_box()
    assert box is not None and box["width"] <= 375
    assert phone.locator("table.cards thead").bounding_box()["height"] <= 1  # the headings live in the cards
    phone_cell = row.locator("td[data-label='Số điện thoại']")
    label = phone_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Số điện thoại" in label
