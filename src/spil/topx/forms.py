import datetime

from django import forms

from spil.core import clock
from spil.meetings.models import Meeting, MeetingStatus
from spil.meetings.services import label as meeting_label
from spil.organisations.models import Municipality
from spil.web.forms import HouseChoiceField, StyledForm

MAX_RANK = 999
MEETING_CHOICE_DAYS = 120  # how far back a meeting may be chosen as the one that decided


class ListForm(StyledForm, forms.Form):
    house = HouseChoiceField()
    municipality = forms.ModelChoiceField(
        label="Gemeente",
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="Hele regio van het ZVH",
        help_text="De OOV-functionaris van deze gemeente ziet de lijst op hoofdlijnen. Een regiolijst is alleen voor het ZVH.",
    )
    name = forms.CharField(label="Naam", max_length=120, required=False, help_text="Leeg: 'Top-X' en de gemeente of regio.")

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].limit_to(houses)
        self.fields["municipality"].queryset = Municipality.objects.filter(house__in=houses).select_related("house")


class RerankForm(StyledForm, forms.Form):
    """The decision of a meeting on a list: one row per case that is on the list or may be placed on it.

    A row with a rank puts the case on the list; the ranks give the order and are renumbered from 1 without gaps.
    """

    meeting = forms.ModelChoiceField(
        label="Besloten in overleg", queryset=Meeting.objects.none(), help_text="Het overleg van het ZVH waarin de rangorde is besloten."
    )
    note = forms.CharField(
        label="Toelichting bij het besluit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld waarom casussen van de lijst gaan. Alleen wat nodig is (need-to-know).",
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, topx_list, rows, current, **kwargs):
        super().__init__(*args, **kwargs)
        now = clock.now()
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                house=topx_list.house_id, starts_at__lte=now, starts_at__gte=now - datetime.timedelta(days=MEETING_CHOICE_DAYS)
            )
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("meeting_type")
            .order_by("-starts_at")
        )
        self.fields["meeting"].label_from_instance = meeting_label  # local date, as the timeline names it
        self.fields["based_on"].initial = current.pk if current else None
        ranks = {entry.case_id: entry.rank for entry in current.entries.all()} if current else {}
        self.rows = []
        for case in rows:
            rank = forms.IntegerField(
                label=f"Rang van casus {case.number}", required=False, min_value=1, max_value=MAX_RANK, initial=ranks.get(case.pk)
            )
            reason = forms.CharField(label=f"Reden voor casus {case.number}", required=False, max_length=1000)
            self.fields[f"rank_{case.pk}"] = rank
            self.fields[f"reason_{case.pk}"] = reason
            self.rows.append((case, ranks.get(case.pk)))
        # StyledForm styled the fields declared on the class; these rows are added afterwards.
        for name in self.fields:
            if name.startswith(("rank_", "reason_")):
                self.fields[name].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"

    def bound_rows(self):
        """(case, current rank, rank field, reason field) for the template."""
        return [(case, current, self[f"rank_{case.pk}"], self[f"reason_{case.pk}"]) for case, current in self.rows]

    def clean(self):
        data = super().clean()
        chosen = []
        for case, _ in self.rows:
            rank = data.get(f"rank_{case.pk}")
            if rank is not None:
                chosen.append((rank, case, data.get(f"reason_{case.pk}", "")))
        by_rank = {}
        for rank, case, _ in chosen:
            if rank in by_rank:
                self.add_error(f"rank_{case.pk}", f"Rang {rank} is ook gekozen voor casus {by_rank[rank].number}.")
            by_rank[rank] = case
        data["entries"] = [(case, reason) for rank, case, reason in sorted(chosen, key=lambda row: row[0])]
        return data
