"""`liangxin remind [--plan ID] [--today YYYY-MM-DD]`: the supervision scan and its reminders.

Meant for cron (once a night is enough; running it more often does no harm: an item is never
duplicated and a person is reminded once per item and level). E-mails go out through the
configured EMAIL_BACKEND after each plan's scan commits.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from liangxin.dispatch.services.supervision import supervision_scan_report
from liangxin.plans.models import Plan


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--today {raw!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Run the supervision scan (督办) of every plan, or of one, and send the reminders."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Only this plan (its id).")
        parser.add_argument("--today", type=_date, help="Scan as of this date (YYYY-MM-DD); default: today.")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        plans = Plan.objects.order_by("pk")
        if options["plan"] is not None:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError(f"There is no plan {options['plan']}.")
        totals = {"open": 0, "created": 0, "raised": 0, "resolved": 0, "notifications": 0}
        for plan in plans:
            report = supervision_scan_report(plan=plan, today=today)
            counts = {
                "open": len(report.items),
                "created": report.created,
                "raised": report.raised,
                "resolved": report.resolved,
                "notifications": report.notifications,
            }
            for key, value in counts.items():
                totals[key] += value
            skipped = f"  (skipped: {', '.join(report.skipped_rules)})" if report.skipped_rules else ""
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"plan {plan.pk} {plan.title}: {counts['open']} open "
                    f"({counts['created']} new, {counts['raised']} raised, {counts['resolved']} resolved), "
                    f"{counts['notifications']} reminders{skipped}"
                )
        self.stdout.write(
            f"{today.isoformat()}: {totals['open']} open items, {totals['created']} new, {totals['raised']} raised, "
            f"{totals['resolved']} resolved, {totals['notifications']} reminders"
        )
