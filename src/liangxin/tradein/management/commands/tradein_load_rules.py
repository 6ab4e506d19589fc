"""`liangxin tradein_load_rules --year 2025 --jurisdiction 天津市/北辰区 [--budget 50000000] [--vouchers]`

Loads a programme for the jurisdiction with the national rule set of that year (rulesets/<year>.json),
and with --budget a budget whose first tranche is that many yuan. Idempotent: running it again
finds the programme and changes nothing.
"""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from liangxin.core.services import DomainError, jurisdiction_ensure_path
from liangxin.tradein.services.programmes import programme_load_national, ruleset_years


def _money(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CommandError(f"--budget {raw!r} is not an amount of yuan.") from None
    if not value.is_finite() or value < 0:
        raise CommandError(f"--budget {raw!r} must be zero or more yuan.")
    return value


class Command(BaseCommand):
    help = "Load a trade-in programme with a national rule set (2024, 2025 or 2026) for a jurisdiction."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=f"One of {ruleset_years()}.")
        parser.add_argument("--jurisdiction", required=True, help="The jurisdiction's path, e.g. 天津市/北辰区.")
        parser.add_argument("--budget", type=_money, help="Create the budget with this first tranche (yuan).")
        parser.add_argument("--vouchers", action="store_true", help="The programme uses vouchers.")

    def handle(self, *args, **options):
        try:
            jurisdiction = jurisdiction_ensure_path(path=options["jurisdiction"])
            programme, created = programme_load_national(
                actor=None,
                jurisdiction=jurisdiction,
                year=options["year"],
                budget=options["budget"],
                uses_vouchers=options["vouchers"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        categories = len(programme.rule_versions.order_by("-version").first().rules["categories"])
        verb = "Loaded" if created else "Already there:"
        self.stdout.write(f"{verb} {programme.name} for {jurisdiction} (id {programme.pk}, {categories} categories).")
