from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from spil.cases.models import Case
from spil.casetypes.models import LifeDomain
from spil.meetings.models import Attendance, MeetingStatus, MeetingType, ReviewOutcome
from spil.organisations.models import Municipality, Partner, members
from spil.web.forms import (
    DateInput,
    DateTimeInput,
    HouseChoiceField,
    StyledForm,
    UserChoiceField,
    UserMultipleChoiceField,
    VersionField,
)


class MeetingFilterForm(StyledForm, forms.Form):
    hide_optional_marker = True

    meeting_type = forms.ModelChoiceField(label="Soort overleg", required=False, queryset=MeetingType.objects.all(), empty_label="Alle")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + MeetingStatus.choices)
    start = forms.DateField(label="Vanaf", required=False, widget=DateInput())
    end = forms.DateField(label="Tot en met", required=False, widget=DateInput())

    def filter(self, meetings):
        data = self.cleaned_data
        if data.get("meeting_type"):
            meetings = meetings.filter(meeting_type=data["meeting_type"])
        if data.get("status"):
            meetings = meetings.filter(status=data["status"])
        if data.get("start"):
            meetings = meetings.filter(starts_at__date__gte=data["start"])
        if data.get("end"):
            meetings = meetings.filter(starts_at__date__lte=data["end"])
        return meetings


class SetupForm(StyledForm, forms.Form):
    version = VersionField(required=False)
    chair = UserChoiceField(label="Vaste voorzitter", queryset=None, required=False)
    members = UserMultipleChoiceField(label="Vaste deelnemers", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    rhythm_days = forms.IntegerField(label="Ritme (dagen)", min_value=1, required=False, help_text="Leeg: het standaardritme.")
    location = forms.CharField(label="Locatie", max_length=120, required=False)
    active = forms.BooleanField(label="In gebruik in dit ZVH", required=False, initial=True)

    def __init__(self, *args, house, meeting_type, setup=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = members(house)
        self.fields["chair"].queryset = users
        self.fields["members"].queryset = users
        self.fields["rhythm_days"].help_text = f"Leeg: het standaardritme van {meeting_type.default_rhythm_days} dagen."
        if setup is not None:
            self.fields["version"].initial = setup.version
            self.fields["chair"].initial = setup.chair_id
            self.fields["members"].initial = list(setup.members.values_list("pk", flat=True))
            self.fields["rhythm_days"].initial = setup.rhythm_days
            self.fields["location"].initial = setup.location
            self.fields["active"].initial = setup.active


class MeetingForm(StyledForm, forms.Form):
    house = HouseChoiceField()
    meeting_type = forms.ModelChoiceField(label="Soort overleg", queryset=MeetingType.objects.filter(active=True))
    starts_at = forms.DateTimeField(label="Datum en tijd", widget=DateTimeInput())
    municipality = forms.ModelChoiceField(
        label="Gemeente",
        queryset=Municipality.objects.none(),
        required=False,
        help_text="Verplicht voor een overleg per gemeente, zoals de jeugdbeschermingstafel.",
    )
    chair = UserChoiceField(label="Voorzitter", queryset=None, required=False, help_text="Leeg: de vaste voorzitter van dit overleg.")
    location = forms.CharField(label="Locatie", max_length=120, required=False, help_text="Leeg: de vaste locatie.")
    participants = UserMultipleChoiceField(
        label="Deelnemers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leeg: de vaste deelnemers. Wie een agendapunt bespreekt, wordt vanzelf uitgenodigd.",
    )
    external_participants = forms.CharField(
        label="Overige deelnemers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Deelnemers zonder account, één per regel met hun organisatie.",
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].limit_to(houses)
        self.fields["municipality"].queryset = Municipality.objects.filter(house__in=houses)
        self.fields["chair"].queryset = members(houses)
        self.fields["participants"].queryset = members(houses)

    def clean(self):
        data = super().clean()
        if not data.get("participants"):
            data["participants"] = None  # the set-up's regular members
        return data


class AddItemForm(StyledForm, forms.Form):
    case = forms.ModelChoiceField(
        label="Casus",
        queryset=Case.objects.none(),
        help_text="Open casussen van dit ZVH die u kunt inzien en die nog niet op de agenda staan.",
    )
    question = forms.CharField(label="Aanleiding / vraag aan het overleg", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            Case.objects.visible_to(user)
            .filter(house=meeting.house, status="open")
            .exclude(agenda_items__meeting=meeting)
            .select_related("case_type")
            .order_by("number")
        )
        self.fields["case"].label_from_instance = lambda case: f"{case.number} – {case.case_type}"


class ItemForm(StyledForm, forms.Form):
    version = VersionField()
    question = forms.CharField(label="Aanleiding / vraag aan het overleg", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attendees = UserMultipleChoiceField(
        label="Bespreken dit punt",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Alleen leden van het casusteam. Alleen zij (en de voorzitter en het bedrijfsbureau) zien dit punt op de agenda en in de notulen.",
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        team = item.case.team.active().values("user_id")
        self.fields["attendees"].queryset = get_user_model().objects.filter(pk__in=team).order_by("last_name", "first_name")
        self.fields["attendees"].initial = list(item.attendees.values_list("pk", flat=True))
        self.fields["question"].initial = item.question
        self.fields["version"].initial = item.version


class MinutesForm(StyledForm, forms.Form):
    version = VersionField()
    summary = forms.CharField(
        label="Samenvatting bespreking",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Alleen wat nodig is voor de aanpak (need-to-know).",
    )
    decisions = forms.CharField(label="Besluiten", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = item.version
        self.fields["summary"].initial = item.summary
        self.fields["decisions"].initial = item.decisions


class GeneralNotesForm(StyledForm, forms.Form):
    version = VersionField()
    general_notes = forms.CharField(
        label="Algemene notulen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mededelingen en rondvraag, zonder persoonsgegevens: die horen bij het agendapunt van de casus.",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = meeting.version
        self.fields["general_notes"].initial = meeting.general_notes


class NewActionForm(StyledForm, forms.Form):
    life_domain = forms.ModelChoiceField(label="Leefgebied", queryset=LifeDomain.objects.none())
    description = forms.CharField(label="Actie", widget=forms.Textarea(attrs={"rows": 3}))
    partner = forms.ModelChoiceField(label="Verantwoordelijke partner", queryset=Partner.objects.all())
    responsible = UserChoiceField(label="Verantwoordelijke persoon", queryset=None, required=False)
    start_on = forms.DateField(label="Start", widget=DateInput())
    due_on = forms.DateField(label="Gereed uiterlijk", widget=DateInput())

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        case = item.case
        domains = case.case_type.life_domains.all()
        self.fields["life_domain"].queryset = domains if domains.exists() else LifeDomain.objects.all()
        self.fields["responsible"].queryset = (
            get_user_model().objects.filter(pk__in=case.team.active().values("user_id")).order_by("last_name")
        )
        self.fields["start_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("due_on") and data["due_on"] < data["start_on"]:
            self.add_error("due_on", "De einddatum ligt vóór de start.")
        return data


class ReviewForm(StyledForm, forms.Form):
    """One outcome and note per action to review; an action left empty is not reviewed now."""

    def __init__(self, *args, actions, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for action in self.actions:
            review = reviews.get(action.pk)
            overdue = " (over de termijn)" if action.is_overdue else ""
            self.fields[f"outcome_{action.pk}"] = forms.ChoiceField(
                label=f"{action.description[:80]} – {action.partner}, uiterlijk {action.due_on:%d-%m-%Y}{overdue}",
                required=False,
                choices=[("", "Niet besproken")] + ReviewOutcome.choices,
                initial=review.outcome if review else "",
            )
            self.fields[f"note_{action.pk}"] = forms.CharField(
                label="Toelichting", required=False, initial=review.note if review else "", widget=forms.Textarea(attrs={"rows": 2})
            )
        # StyledForm styled the widgets before these fields existed: give them their classes here.
        for field in self.fields.values():
            widget = field.widget
            css = (
                "utrecht-textarea utrecht-textarea--html-textarea"
                if isinstance(widget, forms.Textarea)
                else "utrecht-select utrecht-select--html-select"
            )
            widget.attrs["class"] = css

    def reviews(self) -> dict:
        return {
            action: (self.cleaned_data[f"outcome_{action.pk}"], self.cleaned_data[f"note_{action.pk}"])
            for action in self.actions
            if self.cleaned_data.get(f"outcome_{action.pk}")
        }


class HeldForm(StyledForm, forms.Form):
    held_at = forms.DateTimeField(label="Gehouden op", widget=DateTimeInput())
    external_participants = forms.CharField(label="Overige deelnemers", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        self.fields["held_at"].initial = timezone.localtime(meeting.held_at or meeting.starts_at)
        self.fields["external_participants"].initial = meeting.external_participants
        for participant in self.participants:
            name = participant.user.get_full_name() or participant.user.username
            self.fields[f"attendance_{participant.user_id}"] = forms.ChoiceField(
                label=name,
                choices=Attendance.choices,
                initial=participant.attendance,
                widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
            )

    def attendance(self) -> dict:
        return {participant.user_id: self.cleaned_data[f"attendance_{participant.user_id}"] for participant in self.participants}


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(label="Reden van annuleren", widget=forms.Textarea(attrs={"rows": 3}))
