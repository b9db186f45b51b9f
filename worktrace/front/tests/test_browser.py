"""In a real headless Chromium against a real server: sign in, find a worker, open the profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _sign_in(page, site_url: str, username: str) -> None:
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")


def test_health_officer_finds_a_worker_without_diacritics_and_opens_the_profile(page, site_url):
    _sign_in(page, site_url, "yte")
    assert page.locator("h1").inner_text() == "Tổng quan"
    page.click("text=Người lao động")
    page.fill("input[name=q]", "nguyen thi")
    page.click("button:has-text('Lọc')")
    first = page.locator("table tbody tr:first-child a").first
    name = first.inner_text()
    assert name.startswith("Nguyễn Thị")
    first.click()
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    assert page.locator("h1").inner_text() == name
    assert page.get_by_text("Thông tin cá nhân").is_visible()
    assert page.get_by_text("Lượt xem này đã được ghi vào nhật ký").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "profile.png"), full_page=True)


def test_company_focal_point_sees_only_its_company(page, site_url):
    _sign_in(page, site_url, "dn1")
    page.click("text=Người lao động")
    options = page.locator("select[name=company] option").all_inner_texts()
    assert len(options) == 2  # "Tất cả" and the company itself


def test_every_demo_account_can_sign_in(browser, site_url):
    for username in ("admin", "yte", "bqlkcn", "dn1", "dn2", "cachly", "congnhan"):
        context = browser.new_context()
        page = context.new_page()
        _sign_in(page, site_url, username)
        assert "Đăng xuất" in page.content()
        context.close()


def test_on_a_phone_the_menu_is_folded_and_opens(browser, site_url):
    # The province administrator has the longest menu; at 375 px it once took 40% of the screen. Folded, the header
    # is one line; the menu button opens it, with the sign-out button readable.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    _sign_in(page, site_url, "admin")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 80, header
    audit_link = page.locator("header").get_by_role("link", name="Nhật ký")
    logout = page.get_by_role("button", name=re.compile("Đăng xuất"))
    assert not audit_link.is_visible() and not logout.is_visible()
    page.locator("label.menu-button").click()
    assert audit_link.is_visible() and logout.is_visible()
    assert logout.evaluate("b => getComputedStyle(b).color") != logout.evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    audit_link.click()
    page.wait_for_url(f"{site_url}/nhat-ky/")
    assert not page.locator("header").get_by_role("link", name="Nhật ký").is_visible()  # folded again on the new page
    context.close()


def test_on_a_desktop_the_menu_is_open_without_a_button(page, site_url):
    _sign_in(page, site_url, "admin")
    assert page.locator("header").get_by_role("link", name="Nhật ký").is_visible()
    assert not page.locator("label.menu-button").is_visible()
    assert page.locator("link[rel=icon]").get_attribute("href").endswith("favicon.svg")
