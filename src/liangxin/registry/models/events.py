from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit

from ..enums import InvitationSide, OutcomeState
from .demands import Demand
from .enterprises import Enterprise, Product
from .finance import FinanceOffer
from .projects import Project


class MatchEvent(models.Model):
    """A matchmaking meeting (供需对接会 / 融资对接会) the office organises."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="match_events"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="match_events",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MatchInvitation(models.Model):
    """An enterprise invited to an event, on one side (supply, demand or finance)."""

    event = models.ForeignKey(
        MatchEvent, verbose_name=_("matchmaking event"), on_delete=models.CASCADE, related_name="invitations"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="invitations"
    )
    side = models.CharField(_("side"), max_length=20, choices=InvitationSide.choices)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "side", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="invitation_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.enterprise}"


class MatchOutcome(models.Model):
    """What came of a match: a supplier (or lender) and a demand (or project), followed to a contract."""

    event = models.ForeignKey(
        MatchEvent,
        verbose_name=_("matchmaking event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    supplier = models.ForeignKey(
        Enterprise, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="match_outcomes"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    offer = models.ForeignKey(
        FinanceOffer,
        verbose_name=_("finance offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    state = models.CharField(_("state"), max_length=20, choices=OutcomeState.choices, default=OutcomeState.CONTACTED)
    amount_wan = models.DecimalField(
        _("amount (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("matchmaking outcome")
        verbose_name_plural = _("matchmaking outcomes")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_wan__isnull=True) | Q(amount_wan__gte=0), name="outcome_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.get_state_display()}"
