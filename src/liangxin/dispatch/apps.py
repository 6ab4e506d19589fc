from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "liangxin.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch: reporting, assessment and supervision")
