"""Input of the trade-in office pages and the public voucher page; validation with clear messages."""

import json
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liangxin.core.idcodes import resident_id_problem

from .enums import BudgetState, ClaimState, RejectCode
from .formula import rules_problems
from .services.programmes import ruleset_load, ruleset_years
from .services.vouchers import phone_problem

# Own words (with a context) for the budget's states: the project catalog translates a bare
# "open" as a verb.
BUDGET_STATE_WORDS = {
    BudgetState.OPEN: pgettext_lazy("budget state", "open"),
    BudgetState.THROTTLED: pgettext_lazy("budget state", "throttled"),
    BudgetState.PAUSED: pgettext_lazy("budget state", "paused"),
    BudgetState.CLOSED: pgettext_lazy("budget state", "closed"),
}
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rules_from_text(text: str) -> dict:
    try:
        rules = json.loads(text)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            _("The rules are not valid JSON (line %(line)s, column %(col)s: %(msg)s).")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    problems = rules_problems(rules)
    if problems:
        raise forms.ValidationError(problems)
    return rules


class ProgrammeForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    uses_vouchers = forms.BooleanField(label=_("Uses vouchers"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ruleset = forms.ChoiceField(label=_("Rules"), required=False)
    rules_json = forms.CharField(
        label=_("Rules as JSON (instead of a national rule set)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
    )
    budget = forms.DecimalField(label=_("First tranche (yuan)"), min_value=0, required=False, **MONEY_FIELD)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        # An office creates programmes for its own jurisdiction; an administrator picks one.
        self.fields["jurisdiction"].queryset = places
        if places.count() == 1:
            self.fields["jurisdiction"].initial = places.first()
            self.fields["jurisdiction"].widget = forms.HiddenInput()
        self.fields["ruleset"].choices = [("", _("— my own JSON below —"))] + [
            (str(y), _("National rules %(year)s") % {"year": y}) for y in ruleset_years()
        ]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("The programme must end on or after its first day."))
        if data.get("ruleset"):
            data["rules"] = ruleset_load(int(data["ruleset"]))
        elif data.get("rules_json", "").strip():
            try:
                data["rules"] = _rules_from_text(data["rules_json"])
            except forms.ValidationError as exc:
                self.add_error("rules_json", exc)
        else:
            self.add_error("ruleset", _("Pick a national rule set or write the rules as JSON."))
        return data


class RuleVersionForm(forms.Form):
    effective_from = forms.DateField(label=_("Applies to purchases from"), widget=DATE)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)
    rules_json = forms.CharField(
        label=_("Rules (JSON)"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"})
    )

    def clean_rules_json(self):
        return _rules_from_text(self.cleaned_data["rules_json"])


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=Decimal("0.01"), **MONEY_FIELD)
    note = forms.CharField(label=_("Note (document number)"), max_length=300, required=False)


class BudgetStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=list(BUDGET_STATE_WORDS.items()))
    announcement = forms.CharField(
        label=_("Public announcement (the reason)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    auto_switch = forms.BooleanField(label=_("Switch automatically at the thresholds"), required=False)


class VoucherWindowForm(forms.Form):
    category = forms.ChoiceField(label=_("Product category"))
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    daily_quota = forms.IntegerField(label=_("Daily quota"), min_value=1, max_value=10_000_000)
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366)
    return_on_expiry = forms.BooleanField(label=_("Expired vouchers return to the quota"), required=False)
    return_on_refund = forms.BooleanField(label=_("Refunded vouchers return to the quota"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data


class ClaimFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Product category"), required=False)
    merchant = forms.IntegerField(label=_("Merchant"), required=False, min_value=1)
    flagged = forms.BooleanField(label=_("Flagged"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    q = forms.CharField(label=_("Claim number or invoice"), required=False, max_length=100)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("all states")), *ClaimState.choices]
        self.fields["category"].choices = [("", _("all categories")), *categories]


class RejectForm(forms.Form):
    code = forms.ChoiceField(label=_("Reason code"), choices=RejectCode.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class FlagDecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision on the suspicion"),
        choices=[("0", _("clear the suspicion")), ("1", _("uphold the suspicion"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason for the decision"), max_length=500)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount refunded (yuan)"), min_value=Decimal("0.01"), **MONEY_FIELD)
    refunded_on = forms.DateField(label=_("Refunded on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean_refunded_on(self):
        day = self.cleaned_data["refunded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A refund cannot be in the future."))
        return day


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class BatchCreateForm(forms.Form):
    merchants = forms.MultipleChoiceField(
        label=_("Merchants (none ticked: all with approved claims)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, merchants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchants"].choices = merchants


class ResultUploadForm(forms.Form):
    file = forms.FileField(label=_("The bank's result file (.csv or .xlsx)"))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why the payment goes back"), max_length=300)


class ClaimUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in claim workbook (.xlsx)"))
    merchant = forms.ChoiceField(label=_("On behalf of the merchant"), required=False)

    def __init__(self, *args, merchants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if merchants is None:
            del self.fields["merchant"]
        else:
            self.fields["merchant"].required = True
            self.fields["merchant"].choices = [("", "—"), *merchants]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx workbook (download the template first)."))
        return upload


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100, required=False)


class VoucherClaimForm(forms.Form):
    """The resident's voucher claim on the public page."""

    window = forms.TypedChoiceField(label=_("Product category"), coerce=int)
    name = forms.CharField(label=_("Name of the holder"), max_length=100)
    identity = forms.CharField(label=_("ID card number"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = windows
        self.fields["identity"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")

    def clean_identity(self):
        value = self.cleaned_data["identity"]
        problem = resident_id_problem(value.strip().upper())
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        problem = phone_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class ClaimStatusForm(forms.Form):
    number = forms.CharField(label=_("Claim number"), max_length=32)
    id_last4 = forms.RegexField(
        label=_("Last 4 characters of the ID card number"),
        regex=r"^[0-9]{3}[0-9Xx]$",
        error_messages={"invalid": _("Give the last 4 characters of the ID card number (digits, or X at the end).")},
    )
