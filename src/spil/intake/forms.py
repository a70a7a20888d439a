from django import forms

from spil.casetypes.models import CaseType
from spil.intake import channels
from spil.intake.models import Enrichment, Report, ReportStatus
from spil.organisations.models import IntakeRegion, Municipality, Partner, RoutingRule
from spil.persons.bsn import normalise, validate_bsn
from spil.persons.models import Person
from spil.core import clock
from spil.web.forms import DateInput, HouseChoiceField, OptionsKeptForAMinute, StyledForm, VersionField


class ReportForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "source_partner",
            "reporter_name",
            "reporter_contact",
            "channel",
            "received_on",
            "requested_case_type",
            "reason",
            "request",
        ]
        widgets = {"received_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 4}), "request": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_case_type"].queryset = CaseType.objects.for_intake()
        self.fields["received_on"].initial = clock.today

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > clock.today():
            raise forms.ValidationError("De datum van ontvangst kan niet in de toekomst liggen.")
        return received_on


class ReportEditForm(ReportForm):
    version = VersionField()


ROUTE_BY_RULES = "Bepalen via de routeringsregels"


def _regions_served(houses) -> list:
    """The intake regions whose every house is among `houses`: the user registers for the region (a central loket)."""
    houses = list(houses.select_related("intake_region"))
    ids = {house.pk for house in houses}
    regions = {house.intake_region for house in houses if house.intake_region is not None}
    return sorted((r for r in regions if set(r.houses.values_list("pk", flat=True)) <= ids), key=lambda r: r.name)


class NewReportForm(ReportForm):
    """A new melding. Who registers for an intake region (a central loket) may leave the house open: the routing rules
    then decide it from the persons' gemeente and the theme (`intake.routing`), and a house chosen instead needs a
    reason. Who registers only for houses without a region chooses the house, as before."""

    house = HouseChoiceField()
    region = forms.ModelChoiceField(
        label="Intakeregio", queryset=IntakeRegion.objects.none(), help_text="Het loket waarvoor u deze melding registreert."
    )
    routing_reason = forms.CharField(
        label="Reden van de keuze van het huis",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Alleen als u het huis zelf kiest, bijvoorbeeld omdat er geen (vaste) woonplaats bekend is of de "
        "betrokkene in het buitenland verblijft.",
    )

    class Meta(ReportForm.Meta):
        fields = [*ReportForm.Meta.fields, "criminal_law"]

    field_order = [
        "region",
        "house",
        "routing_reason",
        "source_partner",
        "reporter_name",
        "reporter_contact",
        "channel",
        "received_on",
        "requested_case_type",
        "criminal_law",
    ]

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = _regions_served(houses)
        if not self.regions:
            for name in ["region", "routing_reason", "criminal_law"]:
                del self.fields[name]
            self.fields["house"].limit_to(houses)
            return
        house = self.fields["house"]
        house.required = False
        house.empty_label = ROUTE_BY_RULES
        house.queryset = houses
        house.help_text = (
            "Laat dit open: de gemeente van de persoon en het thema bepalen dan het huis. Kies alleen zelf als dat niet "
            "kan, en geef de reden."
        )
        if len(self.regions) == 1:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = IntakeRegion.objects.filter(pk__in=[region.pk for region in self.regions])

    def clean(self):
        data = super().clean()
        if self.regions:
            house, reason = data.get("house"), (data.get("routing_reason") or "").strip()
            if house is not None and not reason:
                self.add_error(
                    "routing_reason",
                    "Geef de reden waarom u het huis zelf kiest. Zonder keuze bepalen de routeringsregels het huis.",
                )
            elif house is None and reason:
                self.add_error(
                    "house",
                    "Kies het huis waarvoor deze reden geldt, of maak de reden leeg om het huis via de routeringsregels te laten bepalen.",
                )
        return data

    def report_fields(self) -> dict:
        """The melding's own fields for `services.register_report`."""
        return {name: value for name, value in self.cleaned_data.items() if name in self._meta.fields}

    def destination(self) -> dict:
        """Where the melding goes: the `house`, `region` and `routing_reason` arguments of `register_report`."""
        data = self.cleaned_data
        if not self.regions:
            return {"house": data["house"]}
        region = data["region"] if "region" in self.fields else self.regions[0]
        house, reason = data.get("house"), data.get("routing_reason", "")
        if house is not None and house.intake_region_id != region.pk and not _named_by_rule(house, region):
            return {"house": house, "routing_reason": reason}  # a house of the user's own outside the region
        return {"house": house, "region": region, "routing_reason": reason}


def _named_by_rule(house, region) -> bool:
    return RoutingRule.objects.filter(house=house, municipality__house__intake_region=region).exists()


class PersonForm(StyledForm, forms.ModelForm):
    relation = forms.CharField(
        label="Rol in de melding", required=False, max_length=60, help_text="Bijvoorbeeld: betrokkene, partner, kind, ouder."
    )

    class Meta:
        model = Person
        fields = ["bsn", "first_names", "surname_prefix", "surname", "birth_date", "address", "postcode", "city", "municipality"]
        widgets = {"birth_date": DateInput()}
        help_texts = {"bsn": "9 cijfers; wordt gecontroleerd met de 11-proef."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        # People type BSNs with spaces and dots: the length is checked after normalising, in clean_bsn.
        self.fields["bsn"].validators = []
        self.fields["bsn"].max_length = None
        self.fields["bsn"].widget.attrs.pop("maxlength", None)

    def clean_bsn(self):
        bsn = normalise(self.cleaned_data["bsn"])
        if bsn:
            validate_bsn(bsn)
        return bsn

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > clock.today():
            raise forms.ValidationError("De geboortedatum kan niet in de toekomst liggen.")
        return birth_date


class BasePersonFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        bsns = [person["bsn"] for person in self.persons() if person.get("bsn")]
        if len(bsns) != len(set(bsns)):
            raise forms.ValidationError("Hetzelfde BSN staat twee keer in de melding.")

    def persons(self) -> list[dict]:
        """The filled-in rows; empty extra rows (from 'Nog een persoon toevoegen') are skipped."""
        return [form.cleaned_data for form in self.forms if form.has_changed()]


PersonFormSet = forms.formset_factory(PersonForm, formset=BasePersonFormSet, extra=0, min_num=1, max_num=12, validate_max=True)


class InboxFilterForm(OptionsKeptForAMinute, StyledForm, forms.Form):
    hide_optional_marker = True  # every filter is optional

    q = forms.CharField(label="Zoeken", required=False, help_text="Meldingnummer, naam van een persoon of melder.")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + ReportStatus.choices)
    case_type = forms.ModelChoiceField(label="Thema", required=False, queryset=CaseType.objects.for_intake(), empty_label="Alle")
    municipality = forms.ModelChoiceField(label="Gemeente", required=False, queryset=Municipality.objects.none(), empty_label="Alle")
    source = forms.ModelChoiceField(label="Melder (organisatie)", required=False, queryset=Partner.objects.all(), empty_label="Alle")
    form = forms.ChoiceField(label="Meldformulier", required=False, choices=[("", "Alle")])
    received_from = forms.DateField(label="Ontvangen vanaf", required=False, widget=DateInput())
    received_until = forms.DateField(label="Ontvangen tot en met", required=False, widget=DateInput())

    def __init__(self, *args, houses: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.options_key = tuple(sorted(houses))
        self.fields["municipality"].queryset = Municipality.objects.filter(house__in=houses)
        # Only organisations that reported to these houses: nationally there are hundreds of partners.
        self.fields["source"].queryset = Report.source_partners(houses)
        self.fields["form"].choices = [("", "Alle"), *channels.choices()]


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=ReportStatus.choices)
    version = VersionField()


class EnrichmentRequestForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Enrichment
        fields = ["partner", "requested_on", "question"]
        widgets = {"requested_on": DateInput(), "question": forms.Textarea(attrs={"rows": 2})}
        labels = {"question": "Welke informatie is opgevraagd?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = clock.today


class EnrichmentAnswerForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Enrichment
        fields = ["answered_on", "summary"]
        widgets = {"answered_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].required = True
        self.fields["answered_on"].initial = clock.today
        self.fields["summary"].required = True
