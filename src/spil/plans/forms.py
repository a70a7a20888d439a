from django import forms
from django.conf import settings

from spil.core import clock, uploads
from spil.organisations.models import Partner, members
from spil.plans.models import ActionStatus, Agreement, FollowUp, Progress
from spil.triage.models import AveLevel
from spil.web.forms import DateInput, StyledForm, UserChoiceField, VersionField


class PlanStepForm(StyledForm, forms.Form):
    """A form on one plan version; posts back the version it showed."""

    version = VersionField()

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["version"].initial = plan.version


class ConfirmStepForm(PlanStepForm):
    """A step without input beyond the version (e.g. ask the partners to confirm)."""


class PlanForm(PlanStepForm):
    instrument = forms.CharField(
        label="Diagnose-instrument",
        required=False,
        max_length=120,
        help_text="Bijvoorbeeld RISc, Zelfredzaamheid-Matrix of een GGZ-diagnose.",
    )
    diagnosis = forms.CharField(label="Diagnose en probleemanalyse", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["instrument"].initial = plan.instrument
        self.fields["diagnosis"].initial = plan.diagnosis


class GoalForm(StyledForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)  # the goal's version shown; 0: none yet
    situation = forms.CharField(label="Situatie en tekort", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    goal = forms.CharField(
        label="Doel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wat moet er aan het eind van dit plan bereikt zijn?",
    )


class ActionForm(StyledForm, forms.Form):
    life_domain = forms.ModelChoiceField(label="Leefgebied", queryset=None)
    description = forms.CharField(label="Actie", widget=forms.Textarea(attrs={"rows": 3}), help_text="Wat wordt er gedaan?")
    partner = forms.ModelChoiceField(label="Verantwoordelijke partner", queryset=Partner.objects.all())
    responsible = UserChoiceField(label="Verantwoordelijke persoon", queryset=None, required=False)
    start_on = forms.DateField(label="Start", widget=DateInput())
    due_on = forms.DateField(label="Gereed uiterlijk", widget=DateInput())

    def __init__(self, *args, case, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_domain"].queryset = case.case_type.life_domains.all()
        self.fields["responsible"].queryset = members(case.house)
        if action is None:
            self.fields["start_on"].initial = clock.today()
        else:
            self.fields["version"] = VersionField(initial=action.version)
            for name in ["life_domain", "description", "partner", "responsible", "start_on", "due_on"]:
                self.fields[name].initial = getattr(action, name)


class BackToDraftForm(PlanStepForm):
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: een actie moet worden aangepast. De partners worden daarna opnieuw om bevestiging gevraagd.",
    )


class OfferForm(PlanStepForm):
    offered_on = forms.DateField(
        label="Aangeboden op", widget=DateInput(), help_text="Na het aanbieden start het plan bij voorkeur binnen een week."
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["offered_on"].initial = clock.today()


class AcceptForm(PlanStepForm):
    decided_on = forms.DateField(label="Geaccepteerd op", widget=DateInput())
    agreement = forms.ChoiceField(label="Vorm van instemming", choices=Agreement.choices, widget=forms.RadioSelect)
    document = forms.FileField(
        label="Ondertekend plan",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    note = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht bij een mondelinge afspraak: wat is afgesproken, met wie en hoe.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["decided_on"].initial = clock.today()
        self.fields[
            "document"
        ].help_text = f"{uploads.ACCEPTED}, hoogstens {settings.SPIL_UPLOAD_MAX_MB} MB. Verplicht bij een ondertekend document."


class RefuseForm(PlanStepForm):
    decided_on = forms.DateField(label="Geweigerd op", widget=DateInput())
    follow_up = forms.ChoiceField(
        label="Vervolg",
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        help_text="Drang: met voorwaarden of druk via een partner; dwang: via een juridisch kader (bijv. OM, rechter).",
    )
    note = forms.CharField(label="Toelichting op het vervolg", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["decided_on"].initial = clock.today()


class StartForm(PlanStepForm):
    started_on = forms.DateField(label="Gestart op", widget=DateInput())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["started_on"].initial = clock.today()
        if plan.start_before:
            self.fields["started_on"].help_text = f"Aangeboden op {plan.offered_on:%d-%m-%Y}: start uiterlijk {plan.start_before:%d-%m-%Y}."


class EvaluationForm(PlanStepForm):
    evaluated_on = forms.DateField(label="Datum evaluatie", widget=DateInput())
    summary = forms.CharField(label="Conclusie", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, plan, domains, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["evaluated_on"].initial = clock.today()
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"progress_{domain.pk}"] = forms.ChoiceField(
                label=f"Voortgang: {domain}", choices=Progress.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{domain.pk}"] = forms.CharField(
                label=f"Toelichting: {domain}", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        levels = [("", f"Ongewijzigd ({plan.case.get_ave_level_display()})")] + [
            (value, label) for value, label in AveLevel.choices if value != plan.case.ave_level
        ]
        self.fields["ave_level"] = forms.TypedChoiceField(label="AVE-niveau", choices=levels, coerce=int, empty_value=None, required=False)
        self.fields["ave_reason"] = forms.CharField(
            label="Reden voor op- of afschalen", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["new_version"] = forms.BooleanField(
            label="Nieuwe versie van het plan starten",
            required=False,
            help_text="Deze versie wordt dan 'geëvalueerd'; doelen en open of lopende acties gaan mee naar een nieuw concept.",
        )

    def progress(self) -> dict:
        data = self.cleaned_data
        return {domain: (data[f"progress_{domain.pk}"], data[f"note_{domain.pk}"]) for domain in self.domains}


class ProgressForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)
    result = forms.CharField(
        label="Resultaat of toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht bij 'niet mogelijk' en 'niet uitgevoerd'.",
    )
    version = VersionField()

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = action.status
        self.fields["result"].initial = action.result
        self.fields["version"].initial = action.version


class ConfirmationForm(StyledForm, forms.Form):
    answer = forms.TypedChoiceField(
        label="Kan uw organisatie deze acties op tijd leveren?",
        choices=[("ja", "Ja, wij bevestigen de acties"), ("nee", "Nee, wij kunnen niet (op tijd) leveren")],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht als u niet kunt leveren; het plan gaat dan terug naar de regisseur.",
    )
