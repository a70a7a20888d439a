from django import forms

from spil.core import clock
from spil.monitor.figures import default_period
from spil.web.forms import DateInput, StyledForm, VersionField


class HouseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, house):
        return house.name


class DashboardForm(StyledForm, forms.Form):
    """The selection: houses (a region when several) and the period. Filters stay in the URL."""

    huis = HouseMultipleChoiceField(
        queryset=None,
        required=False,
        label="Zorg- en Veiligheidshuizen",
        help_text="Kies er meer om een regio samen te bekijken. Niets gekozen: alle huizen die u mag zien.",
        widget=forms.CheckboxSelectMultiple,
    )
    van = forms.DateField(label="Van", required=False, widget=DateInput())
    tot = forms.DateField(label="Tot en met", required=False, widget=DateInput())

    MAX_DAYS = 3 * 366

    def __init__(self, data, *, houses):
        super().__init__(data)
        self.fields["huis"].queryset = houses
        if houses.count() <= 1:
            self.fields["huis"].widget = forms.MultipleHiddenInput()

    def clean(self):
        data = super().clean()
        start, end = default_period(clock.today())
        data["van"] = data.get("van") or start
        data["tot"] = data.get("tot") or end
        if data["van"] > data["tot"]:
            self.add_error("tot", "De einddatum ligt vóór de begindatum.")
        elif (data["tot"] - data["van"]).days > self.MAX_DAYS:
            self.add_error("tot", "Kies een periode van hoogstens drie jaar.")
        return data


class ManagementTextForm(StyledForm, forms.Form):
    text = forms.CharField(
        label="Managementtekst",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Duiding van de cijfers, ontwikkelingen en aandachtspunten voor de stuurgroep. Schrijf geen namen of "
        "andere persoonsgegevens: de rapportage is voor de stuurgroep.",
    )
    version = VersionField(required=False)
