"""`liangxin tradein_budget_check`: proves that every budget bucket's balance equals the sum of its
ledger entries. Exits 1 (and names the buckets) when one does not."""

from django.core.management.base import BaseCommand, CommandError

from liangxin.tradein.models import Budget
from liangxin.tradein.services.budget import budget_check


class Command(BaseCommand):
    help = "Check that every trade-in budget's balances equal the sums of its ledger."

    def handle(self, *args, **options):
        budgets = Budget.objects.select_related("programme").order_by("pk")
        problems = budget_check(budgets=budgets)
        for p in problems:
            self.stderr.write(
                f"Budget {p.budget_id} ({p.programme}) bucket {p.bucket_index}: "
                f"balance {p.balance} but the ledger sums to {p.ledger}."
            )
        if problems:
            raise CommandError(f"{len(problems)} bucket(s) disagree with the ledger.", returncode=1)
        self.stdout.write(f"All {budgets.count()} budget(s) agree with their ledgers.")
