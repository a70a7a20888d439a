from django import forms

from spil.web.forms import StyledForm


class CodeForm(StyledForm, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="De 6 cijfers die uw authenticator-app nu toont, of een van uw reservecodes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class SetupCodeForm(StyledForm, forms.Form):
    code = forms.CharField(
        label="Code uit de app",
        max_length=32,
        help_text="De 6 cijfers die de app toont nadat u Spil heeft toegevoegd.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(StyledForm, forms.Form):
    password = forms.CharField(
        label="Uw wachtwoord",
        strip=False,
        help_text="Ter bevestiging dat u het zelf bent.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
