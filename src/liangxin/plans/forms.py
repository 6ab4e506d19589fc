from django import forms

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
