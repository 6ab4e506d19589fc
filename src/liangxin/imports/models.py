from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction
from liangxin.plans.models import Plan

from .enums import DraftStatus


class ImportDraft(models.Model):
    """A plan document as read and parsed, under review by the office before it is published.

    `document` is the extracted plan in the interchange format, corrected in place during review;
    `spans` maps item paths ("tasks/3") to [start, end) offsets into `source_text`.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="import_drafts"
    )
    status = models.CharField(_("status"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    original_file = models.FileField(_("original file"), upload_to="imports/originals/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    source_text = models.TextField(_("source text"))
    document = models.JSONField(_("extracted plan"))
    spans = models.JSONField(_("source positions"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    unit_decisions = models.JSONField(_("unit decisions"), default=dict, blank=True)
    revises = models.ForeignKey(
        Plan,
        verbose_name=_("revises plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revision_drafts",
    )
    published_plan = models.ForeignKey(
        Plan,
        verbose_name=_("published as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="draft_published_has_plan",
                condition=~Q(status="published") | Q(published_plan__isnull=False, published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.document.get("title") or self.original_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:review", args=[self.pk])
