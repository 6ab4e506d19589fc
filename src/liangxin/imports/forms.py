from django import forms
from django.utils.translation import gettext_lazy as _

from .readers import DOCUMENT_KINDS


class UploadForm(forms.Form):
    """A plan document to read: Word, PDF or text. The file field comes last so that the other
    fields are parsed before a too-large file is cut off."""

    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("Jurisdiction"))
    revises = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Revision of"),
        help_text=_("Choose the published plan if this document is a revised version of it."),
    )
    file = forms.FileField(label=_("Plan document"))

    def __init__(self, *args, jurisdictions, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        self.fields["revises"].queryset = plans
        self.fields["file"].widget.attrs["accept"] = ",".join(DOCUMENT_KINDS)
        if jurisdictions.count() == 1:
            self.fields["jurisdiction"].initial = jurisdictions.first()

    def clean(self):
        cleaned = super().clean()
        plan, place = cleaned.get("revises"), cleaned.get("jurisdiction")
        if plan and place and plan.jurisdiction_id != place.pk:
            self.add_error("revises", _("That plan belongs to another jurisdiction."))
        return cleaned
