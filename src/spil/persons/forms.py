from django import forms

from spil.web.forms import StyledForm


class MergeForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Waaruit blijkt dat dit dezelfde persoon is (bijvoorbeeld: BSN, geboortedatum en adres komen overeen).",
    )


class UnmergeForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label="Reden", widget=forms.Textarea(attrs={"rows": 3}), help_text="Waaruit blijkt dat het twee verschillende personen zijn."
    )


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("zelfde", "Dit is dezelfde persoon"), ("nieuw", "Nieuwe persoon")])
    known = forms.IntegerField(required=False)


class DiscrepancyForm(forms.Form):
    decision = forms.ChoiceField(choices=[("overnemen", "Overnemen"), ("houden", "Vastgelegde gegevens houden")])
