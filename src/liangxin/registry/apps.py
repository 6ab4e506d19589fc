from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "liangxin.registry"
    label = "registry"
    verbose_name = _("Lists: projects, enterprises, demands and policies")

    def ready(self):
        from liangxin.dispatch import feeds
        from liangxin.dispatch.enums import IndicatorKind

        from .selectors import equipment_investment_yi
        from .services.events import matchmaking_contracts_wan

        feeds.register(
            feeds.Feed(
                key="registry.equipment_investment",
                label=_("Equipment investment of industrial projects under construction or completed (project list)"),
                kind=IndicatorKind.LEVEL,
                unit="亿元",
                values=equipment_investment_yi,
            )
        )
        feeds.register(
            feeds.Feed(
                key="registry.matchmaking_contracts",
                label=_("Contracts signed through matchmaking (10k yuan)"),
                kind=IndicatorKind.FLOW,
                unit="万元",
                values=matchmaking_contracts_wan,
            )
        )
