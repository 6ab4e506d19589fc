from django.urls import reverse

from liangxin.core.models import AuditEntry, Unit


def test_the_admin_speaks_chinese_and_lists_the_registry(client_as):
    html = client_as("admin").get(reverse("admin:index")).content.decode()
    for name in ("工作方案", "指标", "行政区划", "工作专班", "审计日志", "用户"):
        assert name in html


def test_an_admin_change_is_audited(client_as):
    unit = Unit.objects.get(jurisdiction__name="北辰区", name="区商务局")
    client = client_as("admin")
    response = client.post(
        reverse("admin:core_unit_change", args=[unit.pk]),
        {
            "jurisdiction": unit.jurisdiction_id,
            "name": "区商务局",
            "kind": "company",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "北辰区商务局",
            "aliases-0-unit": unit.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.kind == "company"
    entry = AuditEntry.objects.get(action="admin:unit.update")
    assert (entry.before["kind"], entry.after["kind"]) == ("bureau", "company")
    assert AuditEntry.objects.filter(action="admin:unitalias.create", object_repr__startswith="北辰区商务局").exists()


def test_office_staff_cannot_open_the_admin(client_as):
    response = client_as("beichen").get(reverse("admin:index"))
    assert response.status_code == 302
