from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.idcodes import validate_uscc
from liangxin.core.models import Jurisdiction

from .enums import EnterpriseSize


class Enterprise(models.Model):
    """A company or institution, known by its 统一社会信用代码; one record per code, whatever list
    it appears on (supplier, project owner, merchant, recycling operator, lender)."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    # Recognitions such as 专精特新, 单项冠军, 绿色工厂, 高新技术企业.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
