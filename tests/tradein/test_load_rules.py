"""`liangxin tradein_load_rules`: a programme with a national rule set in one command, idempotent."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liangxin.tradein.models import Programme
from liangxin.tradein.selectors import budget_summary

pytestmark = pytest.mark.django_db


def test_load_rules_creates_the_programme_and_budget_once(capsys):
    call_command("tradein_load_rules", "--year", "2026", "--jurisdiction", "山西省/朔州市", "--budget", "50000000")
    call_command("tradein_load_rules", "--year", "2026", "--jurisdiction", "山西省/朔州市", "--budget", "50000000")
    out = capsys.readouterr().out
    assert "Loaded 2026年全国消费品以旧换新（示例规则） for 山西省/朔州市" in out
    assert "Already there:" in out
    programme = Programme.objects.get(jurisdiction__name="朔州市", year=2026)
    assert programme.rule_versions.count() == 1
    assert len(programme.rule_versions.get().rules["categories"]) == 15
    assert budget_summary(programme.budget)["available"] == Decimal("50000000.00")


def test_load_rules_refuses_an_unknown_year():
    with pytest.raises(CommandError, match="2024, 2025, 2026"):
        call_command("tradein_load_rules", "--year", "2023", "--jurisdiction", "山西省/朔州市")
