from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("in review")
    PUBLISHED = "published", _("published")
    DISCARDED = "discarded", _("discarded")


class UnitAction(models.TextChoices):
    EXISTING = "existing", _("is an existing unit")
    CREATE = "create", _("create as a new unit")
    ALIAS = "alias", _("another name of")
