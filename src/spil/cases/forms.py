from functools import cache

from django import forms

from spil.casetypes.models import CaseType, Phase
from spil.cases.models import AccessLevel, CaseStatus, ClosingResult, Review, TeamRole
from spil.organisations.models import House, Municipality, Role, member_choices, members
from spil.triage.models import AveLevel
from spil.web.forms import OptionsKeptForAMinute, StyledForm, UserChoiceField, VersionField


class CaseActionForm(StyledForm, forms.Form):
    version = VersionField()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["version"].initial = case.version


class AveForm(CaseActionForm):
    to_level = forms.TypedChoiceField(label="Nieuw AVE-niveau", choices=AveLevel.choices, coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reden voor op- of afschalen", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["to_level"].initial = case.ave_level


class PhaseForm(CaseActionForm):
    phase = forms.ModelChoiceField(label="Nieuwe fase", queryset=Phase.objects.none(), empty_label=None)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["phase"].queryset = case.case_type.phases.exclude(pk=case.phase_id)


class DirectorsForm(CaseActionForm):
    process_director = UserChoiceField(label="Procesregisseur", queryset=None, required=False)
    case_director = UserChoiceField(label="Casusregisseur", queryset=None, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["process_director"].queryset = members(case.house, {Role.PROCESS_DIRECTOR})
        self.fields["case_director"].queryset = members(case.house, {Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR})
        self.fields["process_director"].initial = case.process_director_id
        self.fields["case_director"].initial = case.case_director_id


class NoteForm(CaseActionForm):
    text = forms.CharField(
        label="Notitie", widget=forms.Textarea(attrs={"rows": 3}), help_text="Alleen wat nodig is voor de aanpak (need-to-know)."
    )


class CloseForm(CaseActionForm):
    result = forms.ChoiceField(label="Resultaat", choices=ClosingResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(CaseActionForm):
    reason = forms.CharField(label="Reden voor heropenen", widget=forms.Textarea(attrs={"rows": 3}))


class CaseFilterForm(OptionsKeptForAMinute, StyledForm, forms.Form):
    hide_optional_marker = True  # every filter is optional

    q = forms.CharField(label="Zoeken", required=False, help_text="Casusnummer of naam van een persoon.")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + CaseStatus.choices)
    case_type = forms.ModelChoiceField(
        label="Aanpak", required=False, queryset=CaseType.objects.filter(label_for__isnull=True), empty_label="Alle"
    )
    phase = forms.CharField(label="Fase", required=False, widget=forms.Select)
    ave = forms.TypedChoiceField(label="AVE", required=False, coerce=int, choices=[("", "Alle")] + AveLevel.choices)
    regisseur = forms.ChoiceField(label="Regisseur", required=False)
    municipality = forms.ModelChoiceField(label="Gemeente", required=False, queryset=Municipality.objects.none(), empty_label="Alle")

    def __init__(self, *args, houses: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.options_key = tuple(sorted(houses))
        self.fields["municipality"].queryset = Municipality.objects.filter(house__in=houses)
        # Read when validated or rendered: a kept rendering (`OptionsKeptForAMinute`) of an unfiltered list reads neither.
        phase_names = Phase.objects.order_by("name").values_list("name", flat=True).distinct()
        self.fields["phase"].widget.choices = lambda: [("", "Alle")] + [(name, name) for name in phase_names]
        # Read once: rendering the select asks for its choices twice (its first option, then all of them).
        self.fields["regisseur"].choices = cache(
            lambda: [
                ("", "Alle"),
                ("mij", "Mijzelf"),
                *member_choices(House.objects.filter(pk__in=houses), {Role.PROCESS_DIRECTOR, Role.CASE_DIRECTOR}),
            ]
        )


class TeamMemberForm(CaseActionForm):
    user = UserChoiceField(label="Medewerker", queryset=None)
    role = forms.ChoiceField(label="Rol in de casus", choices=TeamRole.choices, initial=TeamRole.PROFESSIONAL)
    access = forms.ChoiceField(
        label="Toegang",
        choices=AccessLevel.choices,
        initial=AccessLevel.SUMMARY,
        widget=forms.RadioSelect,
        help_text="Professionals van ketenpartners krijgen standaard alleen de samenvatting en hun eigen onderdelen.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["user"].queryset = members(case.house).exclude(pk__in=case.team.active().values("user_id"))


class RevokeForm(StyledForm, forms.Form):
    reason = forms.CharField(label="Reden", max_length=200)


class EmergencyAccessForm(StyledForm, forms.Form):
    number = forms.CharField(label="Casusnummer", max_length=20, help_text="Bijvoorbeeld C-2026-000123.")
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Waarom is dit nodig en waarom is de verantwoordelijke regisseur niet bereikbaar? De privacy officer beoordeelt dit.",
    )


class ReviewForm(StyledForm, forms.Form):
    review = forms.ChoiceField(
        label="Oordeel",
        choices=[(Review.JUSTIFIED, Review.JUSTIFIED.label), (Review.UNJUSTIFIED, Review.UNJUSTIFIED.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))
