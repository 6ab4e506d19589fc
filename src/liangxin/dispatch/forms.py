from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Curve, IndicatorKind, QualitativeGrade, TaskProgress
from .feeds import feed_choices
from .models import IndicatorProfile, ReportingCalendar


class CalendarForm(forms.ModelForm):
    class Meta:
        model = ReportingCalendar
        fields = [
            "cadence",
            "deadline_days",
            "first_year",
            "last_year",
            "normal_pct",
            "warning_pct",
            "approx_tolerance_pct",
            "weight_on_time",
            "weight_indicators",
            "weight_tasks",
        ]

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(k) for k in ("weight_on_time", "weight_indicators", "weight_tasks")]
        if all(w is not None for w in weights) and sum(weights) != 100:
            self.add_error("weight_tasks", _("The three weights must add up to 100."))
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = IndicatorProfile
        fields = ["kind", "aggregation", "direction", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ChoiceField(
            label=_("data source"),
            required=False,
            choices=[("", _("reported by the units")), *feed_choices()],
            help_text=_("Figures the platform counts itself replace the units' reports for this indicator."),
        )


class TrajectoryForm(forms.Form):
    curve = forms.ChoiceField(label=_("curve"), choices=Curve.choices)
    monthly_shares = forms.CharField(
        label=_("monthly shares"),
        required=False,
        help_text=_("For a custom curve: twelve numbers from 0 to 1, e.g. 0.05 0.1 … 1"),
    )
    reason = forms.CharField(label=_("reason"), max_length=300)

    def clean_monthly_shares(self):
        raw = self.cleaned_data["monthly_shares"].replace(",", " ").replace("，", " ").split()
        try:
            return [float(x) for x in raw] or None
        except ValueError:
            raise forms.ValidationError(_("Write twelve numbers separated by spaces.")) from None


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmissionForm(forms.Form):
    """One field group per owed item: indicator value (or judged grade) and evidence; task status
    and the three texts the office reads (进展情况, 存在问题, 下步计划)."""

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_rows, self.task_rows = [], []
        for entry in submission.indicator_entries.all():
            kind = getattr(getattr(entry.indicator, "profile", None), "kind", None)
            prefix = f"ind-{entry.indicator_id}"
            if kind == IndicatorKind.QUALITATIVE:
                self.fields[f"{prefix}-grade"] = forms.TypedChoiceField(
                    label=_("judged progress"),
                    choices=[("", "—"), *QualitativeGrade.choices],
                    coerce=int,
                    required=False,
                    initial=entry.grade,
                    empty_value=None,
                )
                value_field = f"{prefix}-grade"
            else:
                self.fields[f"{prefix}-value"] = forms.DecimalField(
                    label=_("value reached"),
                    max_digits=20,
                    decimal_places=6,
                    required=False,
                    initial=entry.value,
                )
                value_field = f"{prefix}-value"
            self.fields[f"{prefix}-evidence"] = forms.CharField(
                label=_("evidence"), required=False, initial=entry.evidence, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{prefix}-file"] = forms.FileField(label=_("attach a file"), required=False)
            self.indicator_rows.append(
                {
                    "entry": entry,
                    "value": self[value_field],
                    "evidence": self[f"{prefix}-evidence"],
                    "file": self[f"{prefix}-file"],
                    "qualitative": kind == IndicatorKind.QUALITATIVE,
                }
            )
        for entry in submission.task_entries.all():
            prefix = f"task-{entry.task_id}"
            self.fields[f"{prefix}-progress"] = forms.ChoiceField(
                label=_("status"), choices=[("", "—"), *TaskProgress.choices], required=False, initial=entry.progress
            )
            for name, label in (
                ("progress_note", _("progress (进展情况)")),
                ("problems", _("problems (存在问题)")),
                ("next_steps", _("next steps (下步计划)")),
            ):
                self.fields[f"{prefix}-{name}"] = forms.CharField(
                    label=label, required=False, initial=getattr(entry, name), widget=forms.Textarea(attrs={"rows": 2})
                )
            self.task_rows.append(
                {
                    "entry": entry,
                    **{n: self[f"{prefix}-{n}"] for n in ("progress", "progress_note", "problems", "next_steps")},
                }
            )

    def values(self) -> tuple[dict, dict, dict]:
        """(indicators, tasks, files) in the shape submission_save takes."""
        indicators, tasks, files = {}, {}, {}
        for name, value in self.cleaned_data.items():
            kind, item_id, field = name.split("-", 2)
            if field == "file":
                if value:
                    files[int(item_id)] = value
                continue
            target = indicators if kind == "ind" else tasks
            target.setdefault(int(item_id), {})[field] = value
        return indicators, tasks, files
