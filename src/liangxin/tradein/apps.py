from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeinConfig(AppConfig):
    name = "liangxin.tradein"
    label = "tradein"
    verbose_name = _("Trade-in subsidies")

    def ready(self):
        from .feeds import register_feeds
        from .supervision import register_source

        register_feeds()
        register_source()
