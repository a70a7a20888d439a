from django import forms

from spil.cases.models import Case
from spil.web.forms import DateInput, StyledForm


class InzageSearchForm(StyledForm, forms.Form):
    q = forms.CharField(
        label="BSN of achternaam",
        max_length=120,
        help_text="Een BSN vindt precies die persoon; een (deel van de) achternaam zoekt binnen uw ZVH('s).",
    )


class CaseNumberField(forms.CharField):
    """A case number, resolved within the given cases (the privacy officer's houses)."""

    def __init__(self, *, cases=None, **kwargs):
        super().__init__(label="Casusnummer", max_length=20, help_text="Bijvoorbeeld C-2026-000123.", **kwargs)
        self.cases = cases

    def clean(self, value):
        number = super().clean(value).strip().upper()
        try:
            return self.cases.get(number=number)
        except Case.DoesNotExist:
            raise forms.ValidationError("Er is geen casus met dit nummer in uw Zorg- en Veiligheidshuis.") from None


class HoldForm(StyledForm, forms.Form):
    case = CaseNumberField()
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld een lopende procedure of een verzoek van de betrokkene.",
    )
    until = forms.DateField(
        label="Tot en met", required=False, widget=DateInput(), help_text="Leeg laten voor een bewaarplicht zonder einddatum."
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].cases = cases


class LiftHoldForm(StyledForm, forms.Form):
    reason = forms.CharField(label="Reden voor opheffen", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(StyledForm, forms.Form):
    case = CaseNumberField()
    keep_until = forms.DateField(label="Bewaren tot en met", widget=DateInput())
    reason = forms.CharField(label="Reden", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].cases = cases
