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


def summarize(result) -> str:
    """A readable account of a parsed plan, for a person at a terminal."""
    doc = result.document
    lines = [
        doc["title"],
        f"  issuer: {doc['issuer'] or '-'}   issued on: {doc['issued_on'] or '-'}",
        f"  number: {doc['doc_number'] or '-'}",
        f"  parent policies: {'、'.join(doc['parent_policies']) or '-'}",
        f"  goals: {len(doc['goals'])}   tasks: {len(doc['tasks'])}   indicators: {len(doc['indicators'])}",
        f"  division rows: {len(doc['division_table'])}   policies: {len(doc['policy_list'])}"
        f"   units: {len(doc['units'])}",
    ]
    for task in doc["tasks"]:
        roles = "、".join(task["lead_units"]) or "-"
        shared = "、".join(task["responsible_units"]) or "-"
        lines.append(f"  {task['number']:>3}. {task['title']}  [lead: {roles}; with: {shared}]")
    if doc["task_force"]:
        tf = doc["task_force"]
        lines.append(
            f"  task force: {tf['name']} (office: {tf['office_unit'] or '-'}, {len(tf['member_units'])} members)"
        )
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)


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
        parse = sub.add_parser("parse", help="read a plan document (.txt, .docx, .pdf) into the interchange format")
        parse.add_argument("file")
        parse.add_argument(
            "--json", dest="as_json", action="store_true", help="print the interchange JSON, not a summary"
        )
        score = sub.add_parser("score", help="score a parsed plan against a hand-checked one")
        score.add_argument("pred")
        score.add_argument("gold")

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

    def handle_parse(self, *, file, as_json: bool = False, **_):
        from liangxin.imports.errors import ImportProblem
        from liangxin.imports.parsing import parse_plan
        from liangxin.imports.readers import read_document

        path = Path(file)
        try:
            result = parse_plan(read_document(path.read_bytes(), path.name))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        except ImportProblem as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if as_json:
            sys.stdout.write(json.dumps(result.document, ensure_ascii=False, indent=2) + "\n")
            return
        self.stdout.write(summarize(result))

    def handle_score(self, *, pred, gold, **_):
        from liangxin.imports.scoring import format_scores, score_plan

        documents = []
        for name in (pred, gold):
            try:
                documents.append(json.loads(Path(name).read_text(encoding="utf-8-sig")))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"cannot read {name} as UTF-8 JSON: {exc}") from exc
        self.stdout.write(format_scores(score_plan(*documents)))

    def handle_list(self, **_):
        for plan in Plan.objects.select_related("jurisdiction").order_by("id"):
            self.stdout.write(f"{plan.pk}\t{plan.jurisdiction.full_name}\t{plan.title}")
