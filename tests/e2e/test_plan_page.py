"""A district office worker logs in and reads her plan's indicator table in the browser."""

import re

import pytest
from playwright.sync_api import expect

from liangxin.plans.models import Plan

pytestmark = pytest.mark.e2e

PASSWORD = "liangxin-demo"
BEICHEN_TITLE = "北辰区推动大规模设备更新和消费品以旧换新工作方案"


def _log_in(page, username, password):
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(password)
    page.locator('form button[type="submit"], form input[type="submit"]').first.click()


def _squeeze(text: str) -> str:
    # Whitespace between a value and its unit is layout, not content.
    return re.sub(r"\s+", "", text)


def _column_cell(table, row, header_text: str) -> str:
    """The text of the row's cell under the header naming header_text.

    Counted from the row's end: the key-task cell spans several rows and is absent from later ones.
    """
    headers = [_squeeze(t) for t in table.locator("thead th").all_inner_texts()]
    matching = [i for i, h in enumerate(headers) if header_text in h]
    assert len(matching) == 1, (header_text, headers)
    cells = [_squeeze(t) for t in row.locator("td, th").all_inner_texts()]
    return cells[len(cells) - (len(headers) - matching[0])]


def test_office_user_opens_her_plan_from_the_list_and_sees_the_indicator_table(page, results_dir):
    plan = Plan.objects.get(title=BEICHEN_TITLE)

    _log_in(page, "beichen", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    # 北辰区's office sees its own plan in the list and not another district's.
    expect(page.get_by_text("武清区推动大规模设备更新")).to_have_count(0)
    page.get_by_role("link", name=re.compile("北辰区推动大规模设备更新")).first.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))

    table = page.locator("#indicator-table")
    expect(table).to_be_visible()
    row = table.locator("tr", has_text="工业领域设备投资规模")
    expect(row).to_have_count(1)
    page.screenshot(path=str(results_dir / "plan-page.png"), full_page=True)

    # Each cell leads with its figure (value and unit), then the plan's own words.
    assert _column_cell(table, row, "2023").startswith("13.6亿元")
    assert _column_cell(table, row, "2027").startswith("17亿元")
    for year, figure in (("2024", "14.5亿元"), ("2025", "15.3亿元"), ("2026", "16.2亿元")):
        assert _column_cell(table, row, year).startswith(figure)


def test_wrong_password_keeps_the_visitor_on_the_login_page(page):
    _log_in(page, "beichen", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator('input[name="password"]')).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
