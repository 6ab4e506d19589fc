"""`liangxin plan load|export|list`: the plan registry from the command line."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liangxin.core.services import DomainError, jurisdiction_ensure_path
from liangxin.plans.interchange import InterchangeError
from liangxin.plans.models import Plan
from liangxin.plans.selectors import plan_export
from liangxin.plans.services import plan_load


class Command(BaseCommand):
    help = "Load, export and list plans in the interchange format (liangxin.plan/1)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a liangxin.plan/1 JSON file into a jurisdiction")
        load.add_argument("file")
        load.add_argument("--jurisdiction", required=True, help='path such as "天津市/北辰区"')
        export = sub.add_parser("export", help="print a plan in the interchange format")
        export.add_argument("plan", type=int, help="the plan id printed by `plan load`")
        export.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
        export.add_argument("--out", help="write to this file instead of standard output")
        sub.add_parser("list", help="list the plans with their ids")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_load(self, *, file, jurisdiction, **_):
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{file} is not UTF-8 JSON: {exc}") from exc
        try:
            place = jurisdiction_ensure_path(path=jurisdiction)
            plan = plan_load(data=data, jurisdiction=place, source_name=path.name, source_bytes=raw)
        except InterchangeError as exc:
            raise CommandError(f"{file}: field {exc.field}: {exc.message}; nothing was saved.") from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{plan.pk}\t{plan.title}\t{place.full_name}")

    def handle_export(self, *, plan, out=None, **_):
        found = Plan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"no plan with id {plan}; `liangxin plan list` shows the ids.")
        text = json.dumps(plan_export(found), ensure_ascii=False, indent=2) + "\n"
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    def handle_list(self, **_):
        for plan in Plan.objects.select_related("jurisdiction").order_by("id"):
            self.stdout.write(f"{plan.pk}\t{plan.jurisdiction.full_name}\t{plan.title}")
