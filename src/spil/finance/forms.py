from django import forms

from spil.casetypes.models import CaseType
from spil.finance import numbers
from spil.finance.models import Activity, BudgetLine, Contract, Kind, Nature, Pricing
from spil.meetings.models import MeetingType
from spil.web.forms import DateInput, StyledForm, VersionField

MONEY_HELP = "In euro’s; een komma voor de centen, bijvoorbeeld 1.658.940,00."


class DutchDecimalField(forms.DecimalField):
    """A decimal typed the Dutch way (`1.658.940,00`, `0,4`); shown the same way."""

    def __init__(self, *, pro_memorie: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.pro_memorie = pro_memorie
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = numbers.parse(value)
            except ValueError:
                raise forms.ValidationError("Vul een bedrag of getal in, bijvoorbeeld 1.250,50.", code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        if value is None or value == "" or isinstance(value, str):
            return value
        return numbers.grouped(value, self.decimal_places)


class MoneyField(DutchDecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", MONEY_HELP)
        super().__init__(**kwargs)


# Begroting ------------------------------------------------------------------------------------------------------


class BudgetLineForm(StyledForm, forms.ModelForm):
    """A line with an amount field for every version that is not adopted yet."""

    version = VersionField(required=False)

    class Meta:
        model = BudgetLine
        fields = ["kind", "nature", "group", "description", "funder", "order"]
        widgets = {"kind": forms.RadioSelect, "nature": forms.RadioSelect}

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Kind.choices
        self.fields["nature"].choices = Nature.choices
        self.fields["nature"].help_text = "Structureel: jaarlijks terugkerend. Incidenteel: eenmalig of voor een beperkte periode."
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.fields["version"].required = bool(self.instance.pk)  # an edit posts the version it showed
        stored = {a.version_id: a.amount for a in self.instance.amounts.all()} if self.instance.pk else {}
        self.amount_versions = list(budget.versions.filter(adopted_on__isnull=True))
        for version in self.amount_versions:
            self.fields[f"amount_{version.pk}"] = MoneyField(
                label=f"Bedrag {version.label.lower()}",
                required=False,
                initial=stored.get(version.pk),
                help_text=f"{MONEY_HELP} Leeg: PM (pro memorie).",
            )
        self.adopted_amounts = [(v, stored.get(v.pk)) for v in budget.versions.filter(adopted_on__isnull=False)]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": {name: data[name] for name in self.Meta.fields},
            "amounts": {v.pk: data[f"amount_{v.pk}"] for v in self.amount_versions},
            "expected_version": data.get("version"),
        }


class RevisionForm(StyledForm, forms.Form):
    note = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Waarom de begroting wordt bijgesteld."
    )


class AdoptForm(StyledForm, forms.Form):
    adopted_on = forms.DateField(label="Vastgesteld op", widget=DateInput, help_text="De datum van het besluit van het algemeen bestuur.")
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))


# Inwonerbijdrage ------------------------------------------------------------------------------------------------


class ContributionForm(StyledForm, forms.Form):
    total = MoneyField(label="Totale inwonerbijdrage", min_value=0)
    population_basis = forms.CharField(
        label="Bron inwoneraantallen", max_length=120, required=False, help_text="Bijvoorbeeld ‘CBS, 1 januari 2024’."
    )
    version = VersionField(required=False)

    def __init__(self, *args, contribution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = []
        if contribution is not None:
            self.fields["total"].initial = contribution.total
            self.fields["population_basis"].initial = contribution.population_basis
            self.fields["version"].initial = contribution.version
            self.fields["version"].required = True
            self.shares = list(contribution.shares.select_related("municipality").order_by("municipality__name"))
        for share in self.shares:
            self.fields[f"population_{share.municipality_id}"] = forms.IntegerField(
                label=f"Inwoners {share.municipality.name}",
                min_value=0,
                initial=share.population,
                help_text=f"Nu in Spil (CBS): {numbers.grouped(share.municipality.population, 0)}.",
            )

    def populations(self) -> dict[int, int]:
        return {share.municipality_id: self.cleaned_data[f"population_{share.municipality_id}"] for share in self.shares}


# Jaarplan -------------------------------------------------------------------------------------------------------


class ActivityForm(StyledForm, forms.ModelForm):
    version = VersionField(required=False)
    cost = MoneyField(label="Kosten", required=False, help_text=f"Wat het kost naast de inzet in fte. {MONEY_HELP}")

    class Meta:
        model = Activity
        fields = [
            "theme",
            "name",
            "what_we_do",
            "what_it_yields",
            "planned_output",
            "output_unit",
            "case_type",
            "meeting_type",
            "cost",
            "order",
        ]
        widgets = {"what_we_do": forms.Textarea(attrs={"rows": 4}), "what_it_yields": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.fields["version"].required = bool(self.instance.pk)  # an edit posts the version it showed
        self.fields["case_type"].queryset = CaseType.objects.filter(active=True)
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(active=True)


class StaffForm(StyledForm, forms.Form):
    role = forms.CharField(label="Functie", max_length=80, required=False)
    fte = DutchDecimalField(label="fte", required=False, max_digits=5, decimal_places=2, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("role") and data.get("fte") is None:
            self.add_error("fte", "Vul het aantal fte in.")
        if data.get("fte") is not None and not data.get("role"):
            self.add_error("role", "Vul de functie in.")
        return data


StaffFormSet = forms.formset_factory(StaffForm, extra=3)


def staff_rows(formset) -> list:
    return [(f.cleaned_data["role"], f.cleaned_data["fte"]) for f in formset.forms if f.cleaned_data.get("role")]


# Plustaken ------------------------------------------------------------------------------------------------------


class ContractForm(StyledForm, forms.ModelForm):
    version = VersionField(required=False)
    price = MoneyField(label="Prijs", help_text=f"Per jaar of per levering. {MONEY_HELP}")

    class Meta:
        model = Contract
        fields = [
            "name",
            "commissioner",
            "municipalities",
            "pricing",
            "price",
            "meeting_type",
            "case_type",
            "starts_on",
            "ends_on",
            "description",
        ]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "pricing": forms.RadioSelect,
            "starts_on": DateInput,
            "ends_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.fields["version"].required = bool(self.instance.pk)  # an edit posts the version it showed
        self.fields["pricing"].choices = Pricing.choices
        self.fields["municipalities"].queryset = house.municipalities.all()
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(active=True)
        self.fields["meeting_type"].help_text = "Bij bekostiging per levering: elk gehouden overleg van deze soort is een factuurregel."
        self.fields["case_type"].queryset = CaseType.objects.filter(active=True, restricted=False, label_for__isnull=True)
        self.fields["case_type"].help_text = "Of: elke geopende casus van dit type is een factuurregel."

    def service_data(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name != "municipalities"}
        return {"fields": fields, "municipalities": data["municipalities"], "expected_version": data.get("version")}
