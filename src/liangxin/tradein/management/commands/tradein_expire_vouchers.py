"""`liangxin tradein_expire_vouchers`: expire the vouchers past their date (cron, e.g. hourly)."""

from django.core.management.base import BaseCommand

from liangxin.tradein.services.vouchers import voucher_expire


class Command(BaseCommand):
    help = "Expire trade-in vouchers past their date, returning quota where the window says so."

    def handle(self, *args, **options):
        count = voucher_expire()
        self.stdout.write(f"{count} voucher(s) expired.")
