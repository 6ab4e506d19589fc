from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.idcodes import validate_uscc
from liangxin.core.models import Jurisdiction

from ..enums import EnterpriseSize

_NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


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
    # EnterpriseRole values: manufacturer, supplier, recycler, merchant, leasing, bank, project_owner.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    scale_revenue_wan = models.DecimalField(
        _("annual revenue (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_NON_NEGATIVE
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    description = models.TextField(_("main business"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_revenue_wan__isnull=True) | Q(scale_revenue_wan__gte=0),
                name="enterprise_revenue_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EquipmentCategory(models.Model):
    """A node of the equipment and product category tree (数控机床, 家电 › 冰箱 …): reference data."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Other words people use for this category (synonyms for matching: 空调 ~ 空调器, 机器人 ~ 工业机器人).
    keywords = models.JSONField(_("keywords"), default=list, blank=True)

    class Meta:
        verbose_name = _("equipment category")
        verbose_name_plural = _("equipment categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Product(models.Model):
    """An advanced product or piece of equipment an enterprise supplies (“两优” supply list)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("product name"), max_length=200)
    model_number = models.CharField(_("model"), max_length=100, blank=True)
    specs = models.TextField(_("specifications"), blank=True)
    # Key parameters as name → value text, e.g. {"主轴转速": "12000 r/min", "定位精度": "0.005 mm"}.
    parameters = models.JSONField(_("key parameters"), default=dict, blank=True)
    energy_grade = models.PositiveSmallIntegerField(
        _("energy-efficiency grade"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    standards = models.JSONField(_("standards met"), default=list, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    price_min_yuan = models.DecimalField(
        _("price from (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_NON_NEGATIVE
    )
    price_max_yuan = models.DecimalField(
        _("price up to (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_NON_NEGATIVE
    )
    # Set by the services from the enterprise: the maker is registered in a jurisdiction on the platform
    # (a local producer), as opposed to an outside supplier known only by its code.
    local = models.BooleanField(_("local product"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["enterprise__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(energy_grade__isnull=True) | Q(energy_grade__gte=1, energy_grade__lte=5),
                name="product_energy_grade_1_to_5",
            ),
            models.CheckConstraint(
                condition=(Q(price_min_yuan__isnull=True) | Q(price_min_yuan__gte=0))
                & (Q(price_max_yuan__isnull=True) | Q(price_max_yuan__gte=0)),
                name="product_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_min_yuan__isnull=True)
                | Q(price_max_yuan__isnull=True)
                | Q(price_min_yuan__lte=models.F("price_max_yuan")),
                name="product_price_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.model_number}".strip()

    def clean(self):
        if self.price_min_yuan is not None and self.price_max_yuan is not None:
            if self.price_min_yuan > self.price_max_yuan:
                raise ValidationError({"price_max_yuan": _("The price up to cannot be below the price from.")})
