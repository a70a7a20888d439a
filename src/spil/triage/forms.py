from django import forms

from spil.casetypes.models import CaseType
from spil.organisations.models import Role, members
from spil.triage.models import CRITERIA, AveLevel, Outcome, TriageItem
from spil.web.forms import DateTimeInput, HouseChoiceField, StyledForm, UserChoiceField, UserMultipleChoiceField


class SessionForm(StyledForm, forms.Form):
    house = HouseChoiceField()
    starts_at = forms.DateTimeField(label="Datum en tijd", widget=DateTimeInput())
    location = forms.CharField(label="Locatie", max_length=120, required=False)
    participants = UserMultipleChoiceField(label="Deelnemers", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    external_participants = forms.CharField(
        label="Overige deelnemers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Deelnemers zonder account (bijvoorbeeld OM, GGZ), één per regel met hun organisatie.",
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].limit_to(houses)
        self.fields["participants"].queryset = members(houses)


class DecisionForm(StyledForm, forms.Form):
    criteria = forms.MultipleChoiceField(
        label="Landelijke criteria waaraan de melding voldoet",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, TriageItem._meta.get_field(name).verbose_name.capitalize()) for name in CRITERIA],
    )
    ave_level = forms.TypedChoiceField(label="AVE-niveau", choices=AveLevel.choices, coerce=int, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label="Uitkomst", choices=Outcome.choices, widget=forms.RadioSelect)
    case_type = forms.ModelChoiceField(
        label="Aanpak van de casus",
        queryset=CaseType.objects.for_intake(),
        required=False,
        help_text="Alleen bij procesregie; standaard de gevraagde aanpak.",
    )
    process_director = UserChoiceField(label="Procesregisseur", queryset=None, required=False, help_text="Bij procesregie of C&A.")
    routed_to = forms.CharField(
        label="Gerouteerd naar", max_length=160, required=False, help_text="Bij routeren: welke gemeente, partner of regio."
    )
    reasons = forms.CharField(label="Motivering", widget=forms.Textarea(attrs={"rows": 4}))
    participants = UserMultipleChoiceField(
        label="Deelnemers aan het besluit", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, item: TriageItem, **kwargs):
        super().__init__(*args, **kwargs)
        session = item.session
        self.fields["case_type"].initial = item.report.requested_case_type_id
        self.fields["process_director"].queryset = members(session.house, {Role.PROCESS_DIRECTOR})
        self.fields["participants"].queryset = session.participants.order_by("last_name")
        self.fields["participants"].initial = list(session.participants.values_list("pk", flat=True))
