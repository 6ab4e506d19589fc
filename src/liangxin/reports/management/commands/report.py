"""`liangxin report monthly --plan PLAN --period 2025-03 --out report.docx [--pdf]`: the monthly 专报.

PLAN is the plan's id or its jurisdiction's name (北辰区). With --pdf, or an --out ending in .pdf,
the PDF is written (through LibreOffice) instead of the Word file. Errors (unknown plan or period,
no calendar, no LibreOffice) exit non-zero with a message saying what to do.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liangxin.plans.models import Plan
from liangxin.reports.monthly import MonthlyReportError, find_period, monthly_report_docx, monthly_report_pdf
from liangxin.reports.pdf import PdfError


def _plan(raw: str) -> Plan:
    plans = Plan.objects.filter(pk=int(raw)) if raw.isdigit() else Plan.objects.filter(jurisdiction__name=raw)
    found = list(plans[:2])
    if not found:
        raise CommandError(f"There is no plan {raw!r}: give a plan's id or its jurisdiction's name.")
    if len(found) > 1:
        raise CommandError(f"{raw!r} has several plans: give the plan's id.")
    return found[0]


class Command(BaseCommand):
    help = "Write a report: `report monthly --plan PLAN --period 2025-03 --out report.docx [--pdf]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        monthly = sub.add_parser("monthly", help="The monthly 专报 of a plan's period (.docx, or .pdf).")
        monthly.add_argument("--plan", required=True, help="The plan's id or its jurisdiction's name.")
        monthly.add_argument("--period", required=True, help="The period's label: 2025-03, 2025Q1, 2025-03上旬.")
        monthly.add_argument("--out", required=True, help="Where to write the file.")
        monthly.add_argument("--pdf", action="store_true", help="Write PDF (also when --out ends in .pdf).")

    def handle(self, *args, **options):
        plan = _plan(options["plan"])
        out = Path(options["out"])
        as_pdf = options["pdf"] or out.suffix.lower() == ".pdf"
        try:
            period = find_period(plan, options["period"])
            content = monthly_report_pdf(plan, period) if as_pdf else monthly_report_docx(plan, period)
        except (MonthlyReportError, PdfError) as exc:
            raise CommandError(str(exc)) from None
        if out.parent and not out.parent.exists():
            raise CommandError(f"The directory {out.parent} does not exist.")
        out.write_bytes(content)
        self.stdout.write(f"{out} ({len(content)} bytes): {plan.title}, {period.label}")
