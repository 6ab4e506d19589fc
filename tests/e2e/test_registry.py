"""The 北辰区 office opens a demand's matching suppliers, reads why the five-axis maker ranks first,
and records a contract with its amount from the row."""

import pytest
from playwright.sync_api import expect

from liangxin.registry.models import MatchOutcome
from liangxin.registry.samples import generate, load_samples

pytestmark = pytest.mark.e2e

PASSWORD = "liangxin-demo"


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"], form input[type="submit"]').first.click()


def test_the_office_opens_a_demands_matches_and_records_a_contract(page, demo_site, results_dir):
    loaded = load_samples(generate(seed=5, suppliers=120, demands=4))
    demand = loaded.demands["need-five-axis"]
    maker = loaded.enterprises["five-axis"]

    _log_in(page, "beichen")
    page.goto(f"/registry/demands/{demand.pk}/matches/")
    expect(page.locator("h1")).to_contain_text("五轴联动数控机床")
    first = page.locator("#matches tbody tr").first
    expect(first).to_have_attribute("id", f"match-{maker.pk}")
    expect(first.locator("td").nth(1)).to_contain_text("天津精雕五轴数控机床有限公司")
    expect(first.locator(".badge.mt-category")).to_have_text("同一类别")
    expect(first.locator(".badge.mt-keywords")).to_contain_text("五轴联动")
    expect(first.locator(".badge.mt-locality")).to_have_text("同一城市")

    form = first.locator("form.mt-outcome")
    form.locator('select[name="state"]').select_option("contracted")
    form.locator('input[name="amount_wan"]').fill("640")
    form.locator('input[name="note"]').fill("对接会现场签约")
    form.locator("button").click()

    expect(page.locator(".messages li").first).to_contain_text("天津精雕五轴数控机床有限公司")
    row = page.locator(f"#match-{maker.pk}")
    expect(row.locator(".badge.outcome-contracted")).to_contain_text("640")
    expect(row.locator("form.mt-outcome")).to_have_count(0)  # a contract is final
    page.screenshot(path=str(results_dir / "registry-demand-matches.png"), full_page=True)

    outcome = MatchOutcome.objects.get(demand=demand)
    assert (outcome.supplier_id, outcome.state, str(outcome.amount_wan), outcome.note) == (
        maker.pk,
        "contracted",
        "640.00",
        "对接会现场签约",
    )


def test_the_office_reads_the_policy_push_list_and_an_event(page, demo_site, results_dir):
    from liangxin.registry.models import MatchEvent

    _log_in(page, "beichen")
    page.goto("/registry/policy-push/")
    expect(page.locator("h1")).to_contain_text("北辰区")
    page.locator('select[name="state"]').select_option("usable")
    page.locator("form.inline button").click()
    rows = page.locator("#push-rows tbody tr")
    expect(rows.first.locator("td").nth(2)).to_have_text("可享")
    page.screenshot(path=str(results_dir / "registry-policy-push.png"), full_page=False)

    event = MatchEvent.objects.filter(jurisdiction__name="北辰区").first()
    page.goto("/registry/events/")
    page.locator("#events a", has_text=event.title).click()
    expect(page.locator("h1")).to_have_text(event.title)
    expect(page.locator("#invitations tbody tr")).to_have_count(event.invitations.count())
    page.screenshot(path=str(results_dir / "registry-event.png"), full_page=True)
