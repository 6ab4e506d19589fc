"""An office worker imports a plan document in the browser, corrects it beside the source, publishes it."""

import pytest
from playwright.sync_api import expect

from liangxin.imports.models import ImportDraft
from liangxin.plans.models import Plan

pytestmark = pytest.mark.e2e

PLAN_TEXT = (
    "测试区推动设备更新和消费品以旧换新工作方案\n\n"
    "为推动设备更新，结合实际，制定本方案。\n\n"
    "一、总体目标\n到2027年，工业领域设备投资较2023年增长25%以上。\n\n"
    "二、重点任务\n"
    "（一）推动工业设备更新。支持企业更新设备，到2027年建设10家智能工厂。（牵头单位：区工业和信息化局；责任单位：区发改委）\n"
    "（二）开展家电以旧换新。组织开展家电以旧换新活动。（区商务局牵头，区工信局配合）\n"
)


def test_a_document_is_reviewed_highlighted_corrected_and_published(page, tmp_path, results_dir):
    source = tmp_path / "测试区方案.txt"
    source.write_text(PLAN_TEXT, encoding="utf-8")
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill("wuqing")
    page.locator('input[name="password"]').fill("liangxin-demo")
    page.locator('form button[type="submit"]').click()

    page.goto("/imports/")
    page.set_input_files('input[name="file"]', str(source))
    page.locator("form.upload button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("测试区推动设备更新和消费品以旧换新工作方案")

    # Clicking a task highlights its paragraph in the source text.
    title = page.locator('input[data-path="tasks/1/title"]')
    expect(title).to_have_value("开展家电以旧换新")
    title.click()
    start, end = (int(n) for n in page.locator("#source").get_attribute("data-highlight").split("-"))
    assert "开展家电以旧换新" in PLAN_TEXT[start:end]
    page.screenshot(path=str(results_dir / "import-review.png"))

    # A correction is saved in place; a bad one is refused and says why.
    title.fill("开展家电产品以旧换新")
    title.press("Tab")
    expect(title).to_have_class("cell-input wide saved")
    value = page.locator('input[data-path="tasks/0/targets/0/value"]')
    value.fill("十个")
    value.press("Tab")
    expect(value).to_have_class("cell-input invalid")
    expect(page.locator("#toast")).to_contain_text("tasks/0/targets/0/value")

    # 区工信局 is proposed as another name of 区工业和信息化局, which the plan also names.
    page.locator("#units form[action$='units/accept/'] button").click()
    page.locator("section.publish button.primary").click()
    expect(page.locator("h1")).to_contain_text("测试区推动设备更新和消费品以旧换新工作方案")

    draft = ImportDraft.objects.get()
    plan = Plan.objects.get(pk=draft.published_plan_id)
    assert [t.title for t in plan.tasks.order_by("position")] == ["推动工业设备更新", "开展家电产品以旧换新"]
    assert plan.jurisdiction.units.get(name="区工业和信息化局").aliases.filter(name="区工信局").exists()
