"""The contact network at depth 2 in a real Chromium, on a laptop and on a phone: places as boxes, F2s gathered
into "+N F2" nodes that a click opens without a reload, a legend of node and edge colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _count(page, selector: str) -> int:
    return page.evaluate(f'window.worktraceGraph.nodes("{selector}").length')


@pytest.mark.parametrize("width,height", [(1366, 900), (375, 740)])
def test_it_draws_a_depth_2_trace_with_gathered_f2s_that_a_click_opens(browser, site_url, width, height):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
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
    page.fill("input[name=depth]", "2")
    page.click("form.trace-form button[type=submit]")
    # Not wait_for_function: Playwright polls it with eval, which the Content-Security-Policy refuses.
    page.wait_for_selector("#graph[data-state=ready]", state="attached", timeout=60_000)

    assert _count(page, "[kind = 'place']") > 0  # teams, buses, rooms as boxes
    assert _count(page, "[kind = 'person'][level = 'F1']") > 0  # F1s one by one
    bundles = _count(page, "[kind = 'bundle']")
    assert bundles > 0
    label = page.evaluate("window.worktraceGraph.nodes(\"[kind = 'bundle']\")[0].data('label')")
    assert re.fullmatch(r"\+\d+ (F2|Theo dõi)", label)

    legend = page.locator("#graph-legend")
    for text in ("F0", "F1", "F2", "Theo dõi", "Tổ/Nhóm", "Chuyến xe", "Phòng ở"):
        assert text in legend.inner_text()
    for box in (legend.bounding_box(), page.locator("#graph").bounding_box()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # fits the screen: no sideways scrolling

    page.locator("#graph").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"trace-graph-{width}.png"))

    # A real click on the biggest gathered node, brought to the middle of the canvas.
    biggest = page.evaluate(
        "(() => { var cy = window.worktraceGraph;"
        " var b = cy.nodes(\"[kind = 'bundle']\").max(function (n) { return n.data('count'); }).ele;"
        " cy.zoom(1.5); cy.center(b); var p = b.renderedPosition();"
        " return {id: b.id(), count: b.data('count'), x: p.x, y: p.y}; })()"
    )
    canvas = page.locator("#graph").bounding_box()
    people_before = _count(page, "[kind = 'person']")
    page.mouse.click(canvas["x"] + biggest["x"], canvas["y"] + biggest["y"])
    page.wait_for_selector("#graph[data-state=ready]", state="attached")
    assert page.evaluate(f"window.worktraceGraph.getElementById('{biggest['id']}').length") == 0
    assert _count(page, "[kind = 'person']") == people_before + biggest["count"]
    assert page.url.endswith("#graph-section") or "/truy-vet/" in page.url  # opened in place, no new page
    page.screenshot(path=str(ARTIFACTS / f"trace-graph-{width}-open.png"))

    page.click("button[data-graph=collapse]")
    page.wait_for_selector("#graph[data-state=ready]", state="attached")
    assert _count(page, "[kind = 'bundle']") == bundles
    context.close()
