from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")
