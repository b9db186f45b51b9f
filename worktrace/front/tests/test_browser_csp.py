"""In a real Chromium: the Content-Security-Policy blocks nothing the pages need (scripts, styles, the graph)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_pages_run_under_the_policy_without_violations(page, site_url):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:60]} {message.location}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(f"{site_url}/dang-nhap/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "worktrace-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/")
    page.goto(f"{site_url}/nguoi/?q=nguyen")
    page.locator("table tbody tr:first-child a").first.click()
    page.wait_for_url(re.compile(r"/nguoi/\d+/$"))
    page.click("text=Truy vết từ người này")
    page.fill("input[name=purpose]", "Kiểm tra chính sách bảo mật nội dung")
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#result")
    # Not wait_for_function: Playwright polls it with eval, which the Content-Security-Policy refuses. graph.js
    # sets window.worktraceGraph in the same task that draws the canvas.
    page.wait_for_selector("#graph canvas", state="attached")
    assert page.evaluate("window.worktraceGraph.nodes().length") > 1
    assert page.locator("#graph").bounding_box()["height"] > 500  # the size comes from graph.css
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('#graph-legend .line[data-colour]'), '::before').borderTopColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(153, 153, 153)")  # legend colours set by graph.js
    page.goto(page.url + "&in=1")
    page.goto(f"{site_url}/danh-sach/")
    page.goto(f"{site_url}/nhat-ky/")
    page.goto(f"{site_url}/quan-tri/")
    page.goto(f"{site_url}/quan-tri/accounts/user/")
    page.locator("#result_list tbody tr:first-child th a").first.click()  # a change form with the grant inline
    page.wait_for_selector("#grants-group")
    page.goto(f"{site_url}/quan-tri/audit/auditentry/")
    assert not violations, violations
