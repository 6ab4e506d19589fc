"""Forms of the office side: a site, its status, monthly returns, confirmation, imports, coverage."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liangxin.core.idcodes import uscc_problem
from liangxin.core.models import Unit

from .enums import Category, Datum, ReturnState, SiteLevel, SiteStatus
from .selectors import towns_of
from .validators import coordinates_problem, validate_hours

ALL = pgettext_lazy("filter", "all")


class SiteForm(forms.Form):
    level = forms.ChoiceField(label=pgettext_lazy("site", "Level"), choices=SiteLevel.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    town = forms.ModelChoiceField(label=_("Town / sub-district"), queryset=None, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    lat = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    lng = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    datum = forms.ChoiceField(label=_("Datum"), choices=Datum.choices, initial=Datum.GCJ02)
    operator_name = forms.CharField(label=_("Operator"), max_length=200, required=False)
    operator_uscc = forms.CharField(label=_("Operator's unified social credit code"), max_length=30, required=False)
    hours = forms.CharField(
        label=_("Opening hours"),
        max_length=200,
        required=False,
        validators=[validate_hours],
        help_text=_("For example 周一至周五 8:30-17:30; 周六 9:00-12:00, or 08:00-18:00, or 全天."),
    )
    phone = forms.CharField(label=pgettext_lazy("site", "Phone"), max_length=40, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Accepted categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    two_networks = forms.BooleanField(label=_("Two networks integrated (两网融合)"), required=False)
    responsible_unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns_of(jurisdiction)
        self.fields["responsible_unit"].queryset = Unit.objects.filter(jurisdiction=jurisdiction).order_by("name")

    def clean_operator_uscc(self):
        code = self.cleaned_data["operator_uscc"].strip().upper()
        problem = uscc_problem(code) if code else None
        if problem:
            raise ValidationError(problem)
        return code

    def clean(self):
        data = super().clean()
        if data.get("lat") is not None and data.get("lng") is not None:
            problem = coordinates_problem(data["lat"], data["lng"])
            if problem:
                self.add_error("lat", problem)
        return data

    def site_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("operator_name"), data.pop("operator_uscc")
        data.pop("status", None), data.pop("status_since", None)
        return data


class SiteCreateForm(SiteForm):
    status = forms.ChoiceField(label=_("Status"), choices=SiteStatus.choices, initial=SiteStatus.OPEN)
    status_since = forms.DateField(label=_("Status since"), widget=forms.DateInput(attrs={"type": "date"}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SiteStatus.choices)
    on = forms.DateField(label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class SiteFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=pgettext_lazy("site", "Level"), choices=[("", ALL), *SiteLevel.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", ALL), *SiteStatus.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", ALL), *Category.choices], required=False)
    town = forms.ModelChoiceField(label=_("Town"), queryset=None, required=False, empty_label=ALL)
    two_networks = forms.NullBooleanField(
        label=_("Two networks integrated (两网融合)"),
        required=False,
        widget=forms.Select(choices=[("", ALL), ("true", _("yes")), ("false", _("no"))]),
    )
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns_of(jurisdiction)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx workbook."))
        return f


class MonthField(forms.DateField):
    """A month written 2025-03 (or a full date); the first day of that month."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class ReturnForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    month = MonthField(label=_("Month"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, min_value=Decimal(0))
    unit = forms.CharField(
        label=_("Unit"), max_length=4, required=False, help_text=_("台, 吨, 辆 or 件: the category's unit.")
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class ConfirmForm(forms.Form):
    reason = forms.CharField(label=_("Why the figure is right"), max_length=300)


class ReturnFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", ALL), *Category.choices], required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", ALL), *ReturnState.choices],
        required=False,
    )
    site = forms.IntegerField(label=_("Site no."), required=False, min_value=1)


class CoverageForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    km = forms.DecimalField(
        label=_("Distance (km)"), required=False, min_value=Decimal("0.1"), max_value=Decimal(100), decimal_places=2
    )

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("on") or timezone.localdate(), data.get("km") or Decimal(3)


class PeriodForm(forms.Form):
    first = MonthField(label=_("First month"), required=False)
    last = MonthField(label=_("Last month"), required=False)


class TownCentreForm(forms.Form):
    town = forms.CharField(
        label=_("Town / sub-district"),
        max_length=100,
        help_text=_("An existing name, or a new one ending in 镇, 乡 or 街道."),
    )
    lat = forms.DecimalField(label=_("Latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lng = forms.DecimalField(label=_("Longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    population = forms.IntegerField(label=_("Population"), min_value=0, required=False)


class RouteForm(forms.Form):
    stops = forms.CharField(
        label=_("Route stops"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One stop a line: place | latitude | longitude | when (GCJ-02), "
            "e.g. 佳荣里社区南门 | 39.1843 | 117.1241 | 周二 9:00-10:30"
        ),
    )

    def clean_stops(self):
        stops = []
        for number, line in enumerate(self.cleaned_data["stops"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if len(parts) < 3:
                raise ValidationError(_("Line %(n)s: write place | latitude | longitude | when.") % {"n": number})
            stops.append(
                {"place": parts[0], "lat": parts[1], "lng": parts[2], "schedule": parts[3] if len(parts) > 3 else ""}
            )
        if not stops:
            raise ValidationError(_("Give at least one stop."))
        return stops
