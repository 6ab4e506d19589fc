"""`liangxin demo`: the five demo plans, their units and aliases, and demo accounts (idempotent)."""

import importlib
import json
from importlib import resources

from django.core.management.base import BaseCommand
from django.db import transaction

from liangxin.core.enums import Role
from liangxin.core.models import User
from liangxin.core.services import jurisdiction_ensure_path, unit_alias_add, unit_ensure
from liangxin.plans.models import Plan
from liangxin.plans.services import plan_load

DEMO = resources.files("liangxin.plans") / "demo"
# Each app's demo data, loaded after the plans and accounts: load_demo(quiet=..., stdout=...), idempotent.
DEMO_MODULES = ("liangxin.registry.demo", "liangxin.tradein.demo", "liangxin.recycling.demo")


def _account(username, password, **fields):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.set_password(password)
        user.save()
    return user


class Command(BaseCommand):
    help = "Load the demo plans and create demo accounts; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--with-reports",
            action="store_true",
            help="also give 北辰区 a monthly calendar and generated reports up to last month (demo data)",
        )

    @transaction.atomic
    def handle(self, *args, quiet=False, with_reports=False, **options):
        spec = json.loads((DEMO / "demo.json").read_text(encoding="utf-8"))
        password = spec["password"]
        accounts = [("admin", "system administrator", "")]
        _account("admin", password, role=Role.ADMIN, is_staff=True, is_superuser=True)
        for entry in spec["jurisdictions"]:
            place = jurisdiction_ensure_path(path=entry["path"])
            for unit_spec in entry["units"]:
                unit = unit_ensure(jurisdiction=place, name=unit_spec["name"])
                for alias in unit_spec["aliases"]:
                    unit_alias_add(unit=unit, alias=alias)
            raw = (DEMO / entry["plan"]).read_bytes()
            data = json.loads(raw)
            if not Plan.objects.filter(jurisdiction=place, title=data["title"]).exists():
                plan_load(data=data, jurisdiction=place, source_name=entry["plan"], source_bytes=raw)
            _account(entry["office_user"], password, role=Role.OFFICE, jurisdiction=place)
            accounts.append((entry["office_user"], "office", place.full_name))
            for reporter in entry["reporters"]:
                unit = unit_ensure(jurisdiction=place, name=reporter["unit"])
                _account(reporter["username"], password, role=Role.REPORTER, jurisdiction=place, unit=unit)
                accounts.append((reporter["username"], "reporter", f"{place.full_name} {unit.name}"))
        for leader in spec["leaders"]:
            place = jurisdiction_ensure_path(path=leader["path"])
            _account(leader["username"], password, role=Role.LEADER, jurisdiction=place)
            accounts.append((leader["username"], "leader", place.full_name))
        if with_reports:
            self._reports(quiet=quiet)
        for module in DEMO_MODULES:
            importlib.import_module(module).load_demo(quiet=quiet, stdout=self.stdout)
        if not quiet:
            self.stdout.write(f"Demo accounts (password for all: {password}):")
            for username, role, where in accounts:
                self.stdout.write(f"  {username:<18} {role:<22} {where}")

    def _reports(self, *, quiet: bool) -> None:
        """北辰区 reports monthly; every month up to the last one has its (generated) reports."""
        import random

        from django.utils import timezone

        from liangxin.dispatch.demo import generate_reports
        from liangxin.dispatch.models import ReportingCalendar, Submission
        from liangxin.dispatch.services import calendar_set, periods_open_until

        plan = Plan.objects.get(jurisdiction__name="北辰区", jurisdiction__parent__name="天津市")
        office = User.objects.get(username="beichen")
        if not ReportingCalendar.objects.filter(plan=plan).exists():
            calendar_set(actor=office, plan=plan, cadence="month", deadline_days=5, first_year=2024, last_year=2027)
        today = timezone.localdate()
        periods_open_until(actor=office, plan=plan, today=today)
        if not Submission.objects.filter(period__plan=plan).exists():
            last_month_end = today.replace(day=1) - timezone.timedelta(days=1)
            count = generate_reports(plan, until=last_month_end, rng=random.Random(2024), reviewer=office)
            if not quiet:
                self.stdout.write(f"Generated {count} demo reports for {plan.title} up to {last_month_end}.")
