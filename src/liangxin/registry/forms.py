"""Forms of the lists. They parse and check the input; the services save it."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.idcodes import normalise_uscc, uscc_problem
from liangxin.core.models import Unit

from .enums import (
    ENTERPRISE_FLAGS,
    EnterpriseRole,
    FundingChannel,
    PrerequisiteKind,
    PrerequisiteState,
    ProjectDomain,
    ProjectStage,
)
from .models import (
    ConsumerDemand,
    Demand,
    Enterprise,
    EquipmentCategory,
    FinanceOffer,
    Policy,
    Product,
    Project,
    ScreeningCriteria,
)
from .selectors import category_choices
from .validators import clean_parameters, clean_tags


class TagsField(forms.CharField):
    """A list of tags typed as text separated by 、 , ; or new lines."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate items with 、 or commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "、".join(str(v) for v in value)
        return value

    def to_python(self, value):
        return clean_tags(super().to_python(value))


class ParametersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One per line: name: value"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{k}: {v}" for k, v in value.items())
        return value

    def to_python(self, value):
        from django.core.exceptions import ValidationError

        try:
            return clean_parameters(super().to_python(value))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parameters"]) from exc


def _checkboxes(enum, label):
    return forms.MultipleChoiceField(
        label=label, choices=enum.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=EquipmentCategory.objects.all(), label=_("Category"), **kwargs)

    def label_from_instance(self, obj):
        return f"— {obj.name}" if obj.parent_id else obj.name

    def tree_choices(self):
        """The categories in tree order (each top-level node followed by its children), for the widget."""
        return [("", "---------")] + [(node.pk, self.label_from_instance(node)) for node in category_choices()]


class _ScopedForm(forms.ModelForm):
    """A form whose unit and enterprise choices are those of one jurisdiction."""

    unit_fields: tuple[str, ...] = ()

    def __init__(self, *args, jurisdiction=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(jurisdiction=jurisdiction) if jurisdiction else Unit.objects.none()
        for name in self.unit_fields:
            if name in self.fields:
                self.fields[name].queryset = units
        for field in self.fields.values():
            if isinstance(field, CategoryChoiceField):
                field.widget.choices = field.tree_choices()
        if enterprises is not None:
            for name in ("owner", "enterprise", "provider"):
                if name in self.fields:
                    self.fields[name].queryset = enterprises

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class EnterpriseForm(_ScopedForm):
    flags = TagsField(label=_("Flags"), help_text="、".join(ENTERPRISE_FLAGS))
    roles = _checkboxes(EnterpriseRole, _("Roles"))

    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "address", "industry", "size", "flags", "roles", "scale_revenue_wan", "employees",
            "description", "contact_name", "contact_phone",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["uscc"].disabled = True
            self.fields["uscc"].help_text = _("The code identifies the enterprise; it cannot change.")

    def clean_uscc(self):
        code = self.cleaned_data["uscc"]
        if self.instance.pk:
            return self.instance.uscc
        problem = uscc_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_uscc(code)

    def validate_unique(self):
        # A known code is merged into its record (enterprise_upsert), not refused.
        pass


class ProductForm(_ScopedForm):
    category = CategoryChoiceField()
    parameters = ParametersField(label=_("Key parameters"))
    standards = TagsField(label=_("Standards met"))
    certifications = TagsField(label=_("Certifications"))

    class Meta:
        model = Product
        fields = [
            "enterprise", "category", "name", "model_number", "specs", "parameters", "energy_grade", "standards",
            "certifications", "price_min_yuan", "price_max_yuan", "active",
        ]  # fmt: skip
        widgets = {"specs": forms.Textarea(attrs={"rows": 3})}


class DemandForm(_ScopedForm):
    unit_fields = ("unit",)
    category = CategoryChoiceField()

    class Meta:
        model = Demand
        fields = [
            "kind", "owner", "unit", "category", "title", "quantity", "quantity_unit", "requirements", "budget_wan",
            "needed_by", "state", "contact_name", "contact_phone",
        ]  # fmt: skip
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"}), "requirements": forms.Textarea({"rows": 3})}


class ConsumerDemandForm(_ScopedForm):
    category = CategoryChoiceField()

    class Meta:
        model = ConsumerDemand
        fields = ["year", "category", "expected_units", "note"]

    def validate_unique(self):
        pass  # the service replaces the figure of the same category and year


class ProjectForm(_ScopedForm):
    unit_fields = ("responsible_unit",)
    owner_uscc = forms.CharField(label=_("Owner's unified social credit code"), max_length=30)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=200)
    channels = _checkboxes(FundingChannel, _("Funding channels sought"))

    class Meta:
        model = Project
        fields = [
            "name", "domain", "responsible_unit", "location", "description", "total_investment_wan",
            "equipment_investment_wan", "planned_start", "planned_end", "channels", "needs_financing",
            "financing_amount_wan", "contact_name", "contact_phone",
        ]  # fmt: skip
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["name", "owner_uscc", "owner_name"]

    def __init__(self, *args, reporter_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["owner_uscc"].initial = self.instance.owner.uscc
            self.fields["owner_name"].initial = self.instance.owner.name
        if reporter_unit is not None:
            self.fields["responsible_unit"].queryset = Unit.objects.filter(pk=reporter_unit.pk)
            self.fields["responsible_unit"].initial = reporter_unit
            self.fields["responsible_unit"].required = True

    def clean_owner_uscc(self):
        problem = uscc_problem(self.cleaned_data["owner_uscc"])
        if problem:
            raise forms.ValidationError(problem)
        return normalise_uscc(self.cleaned_data["owner_uscc"])

    def clean(self):
        data = super().clean()
        total, equipment = data.get("total_investment_wan"), data.get("equipment_investment_wan")
        if total is not None and equipment is not None and equipment > total:
            self.add_error(
                "equipment_investment_wan", _("The equipment investment cannot exceed the total investment.")
            )
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and start > end:
            self.add_error("planned_end", _("The planned completion cannot be before the planned start."))
        return data


class PrerequisiteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Prerequisite"), choices=PrerequisiteKind.choices)
    state = forms.ChoiceField(label=_("State"), choices=PrerequisiteState.choices)
    document_no = forms.CharField(label=_("Document number"), max_length=100, required=False)
    done_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=ProjectStage.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(v, label) for v, label in ProjectStage.choices if v in allowed]


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PolicyForm(_ScopedForm):
    unit_fields = ("lead_unit",)
    domains = _checkboxes(ProjectDomain, _("Domains"))
    applicant_types = TagsField(label=_("Who may apply"), help_text=_("e.g. 中小企业、专精特新、个人"))
    conditions = TagsField(label=_("Conditions"))

    class Meta:
        model = Policy
        formfield_callback = _https_urls
        fields = [
            "level", "title", "doc_number", "issuer", "issued_on", "effective_from", "effective_to", "parent",
            "lead_unit", "funding_channel", "domains", "applicant_types", "conditions", "summary", "url", "public",
        ]  # fmt: skip
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        jurisdiction = kwargs.get("jurisdiction")
        super().__init__(*args, **kwargs)
        parents = Policy.objects.filter(parent=None, jurisdiction=jurisdiction)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("For a domain plan of a “1+N” list: its overall plan.")


class OfferForm(_ScopedForm):
    domains = _checkboxes(ProjectDomain, _("Domains"))
    conditions = TagsField(label=_("Conditions"))

    class Meta:
        model = FinanceOffer
        fields = [
            "provider", "kind", "name", "domains", "min_amount_wan", "max_amount_wan", "rate_note", "term_months_max",
            "conditions", "active",
        ]  # fmt: skip


class CriteriaForm(_ScopedForm):
    domains = _checkboxes(ProjectDomain, _("Domains supported"))
    prerequisites_required = _checkboxes(PrerequisiteKind, _("Prerequisites required"))

    class Meta:
        model = ScreeningCriteria
        fields = [
            "name", "channel", "domains", "min_investment_wan", "prerequisites_required", "require_channel_sought",
            "active",
        ]  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
