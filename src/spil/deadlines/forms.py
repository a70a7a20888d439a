from django import forms

from spil.deadlines import registry
from spil.deadlines.models import ExtensionDecision
from spil.deadlines.urgency import Urgency
from spil.web.forms import DateTimeInput, StyledForm


class SignalFilterForm(StyledForm, forms.Form):
    hide_optional_marker = True  # every filter is optional

    q = forms.CharField(label="Casusnummer", required=False, max_length=20, help_text="Bijvoorbeeld C-2026-000123, of een deel ervan.")
    kind = forms.ChoiceField(label="Soort", required=False)
    urgency = forms.ChoiceField(label="Urgentie", required=False, choices=[("", "Alle")] + Urgency.choices)
    mine = forms.BooleanField(
        label="Alleen voor mij",
        required=False,
        help_text="Signalen aan u, en die van casussen waarvan u procesregisseur of casusregisseur bent.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = sorted(registry.kinds().values(), key=lambda kind: kind.label)
        self.fields["kind"].choices = [("", "Alle")] + [(kind.code, kind.label) for kind in kinds]


class ImposeMeasureForm(StyledForm, forms.Form):
    imposed_at = forms.DateTimeField(
        label="Opgelegd op",
        widget=DateTimeInput,
        help_text="Datum en tijd waarop de burgemeester het huisverbod oplegde; de termijn loopt vanaf dat moment.",
    )


class DecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(label="Besluit van de burgemeester", choices=ExtensionDecision.choices, widget=forms.RadioSelect)
    extended_until = forms.DateTimeField(
        label="Verlengd tot",
        required=False,
        widget=DateTimeInput,
        help_text="Alleen bij verlenging: het nieuwe einde, binnen de maximale duur.",
    )
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ExtensionDecision.EXTENDED and not data.get("extended_until"):
            self.add_error("extended_until", "Geef op tot wanneer het huisverbod is verlengd.")
        return data
