"""The extra fields of a channel's meldformulier, built from its definition in `channels`. (Scaffold: the general
form has none.)"""

from django import forms
from django.http import Http404

from spil.intake import channels
from spil.web.forms import StyledForm


class DetailsForm(StyledForm, forms.Form):
    legend = ""


def details_form(form_code: str, *, data=None, initial=None) -> DetailsForm:
    if form_code != channels.GENERAL:
        raise Http404("Onbekend meldformulier.")
    return DetailsForm(data, initial=initial)
