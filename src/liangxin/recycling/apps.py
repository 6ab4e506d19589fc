from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecyclingConfig(AppConfig):
    name = "liangxin.recycling"
    label = "recycling"
    verbose_name = _("Recycling network")

    def ready(self):
        from .feeds import register_feeds

        register_feeds()
