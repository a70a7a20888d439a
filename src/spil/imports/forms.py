from django import forms
from django.conf import settings

from spil.imports.models import ImportKind
from spil.web.forms import HouseChoiceField, StyledForm


class UploadForm(StyledForm, forms.Form):
    house = HouseChoiceField()
    kind = forms.ChoiceField(label="Soort bestand", choices=ImportKind.choices, widget=forms.RadioSelect, initial=ImportKind.REPORTS)
    file = forms.FileField(
        label="Bestand",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].limit_to(houses)
        self.fields[
            "file"
        ].help_text = (
            f"Excel-werkmap (.xlsx) of CSV in UTF-8, hoogstens {settings.SPIL_UPLOAD_MAX_MB} MB. De eerste rij bevat de kolomnamen."
        )
