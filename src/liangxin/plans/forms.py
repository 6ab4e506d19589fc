import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator, Task


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["number", "title"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "task_text", "baseline_text", "baseline_value", "baseline_unit", "cumulative"]
        widgets = {"baseline_text": forms.Textarea(attrs={"rows": 3})}


class PlanImportForm(forms.Form):
    """Upload of a plan in the interchange format (liangxin.plan/1) into a jurisdiction."""

    MAX_BYTES = 5 * 1024 * 1024

    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("Jurisdiction"))
    file = forms.FileField(label=_("Interchange file (.json)"))

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        if jurisdictions.count() == 1:
            self.fields["jurisdiction"].initial = jurisdictions.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; a plan file is much smaller."))
        raw = upload.read()
        try:
            self.data_json = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError(
                _("This is not a UTF-8 JSON file. Export the plan with “liangxin plan export” or the Export button.")
            ) from None
        self.raw = raw
        return upload
