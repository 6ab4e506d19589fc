from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import JurisdictionKind, Role, UnitKind
from .names import normalize_name


class Jurisdiction(models.Model):
    """A node of the administrative tree: province → city → county/zone → town."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("level"), max_length=20, choices=JurisdictionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("/1/4/9/"): subtree queries are one LIKE, no recursion.
    tree_path = models.CharField(_("tree path"), max_length=500, editable=False, db_index=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["tree_path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_name_unique_under_parent"),
            models.UniqueConstraint(fields=["name"], condition=Q(parent=None), name="jurisdiction_root_name_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        prefix = self.parent.tree_path if self.parent_id else "/"
        path = f"{prefix}{self.pk}/"
        if path != self.tree_path:
            self.tree_path = path
            type(self).objects.filter(pk=self.pk).update(tree_path=path)

    @property
    def full_name(self) -> str:
        return "/".join(j.name for j in self.ancestors_and_self())

    def ancestors_and_self(self) -> list["Jurisdiction"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def subtree(self):
        return Jurisdiction.objects.filter(tree_path__startswith=self.tree_path)


class Unit(models.Model):
    """A government body (bureau, office, lower-level government, utility) of a jurisdiction."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(_("matching key"), max_length=100, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.BUREAU)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["jurisdiction__tree_path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name_key"], name="unit_name_unique_in_jurisdiction"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.name)
        super().save(*args, **kwargs)


class UnitAlias(models.Model):
    """Another spelling of a unit (区工信局 for 区工业和信息化局)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="aliases")
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.CASCADE, editable=False
    )
    name = models.CharField(_("alias"), max_length=100)
    name_key = models.CharField(_("matching key"), max_length=100, editable=False)

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name_key"], name="alias_unique_in_jurisdiction"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit.name}"

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.name)
        self.jurisdiction_id = self.unit.jurisdiction_id
        super().save(*args, **kwargs)


class LiangxinUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person with one role, bound to a jurisdiction (and, for a reporter, to one unit)."""

    objects = LiangxinUserManager()

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEADER)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(jurisdiction__isnull=False),
                name="user_non_admin_has_jurisdiction",
            ),
            models.CheckConstraint(
                condition=~Q(role="reporter") | Q(unit__isnull=False),
                name="user_reporter_has_unit",
            ),
        ]


class AuditEntry(models.Model):
    """One domain write: who, when, what, and the state before and after."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
