"""The extra fields of a meldformulier as a Django form, built from its definition in `channels`.

The fields parse what was typed (Dutch messages beside each field); `clean()` then runs `channels.clean_details`, the
same check the API and the bulk import use, and puts each of its errors beside its field. The fields carry the prefix
"details" so they never clash with the melding's own fields in the same POST.
"""

from django import forms
from django.http import Http404

from spil.core.errors import DomainError
from spil.intake import channels
from spil.web.forms import EMPTY_CHOICE, DateInput, StyledForm

PREFIX = "details"


class DetailsForm(StyledForm, forms.Form):
    def __init__(self, definition: channels.FormDefinition, *args, **kwargs):
        self.definition = definition
        super().__init__(*args, prefix=PREFIX, **kwargs)

    @property
    def legend(self) -> str:
        return self.definition.name

    def clean(self):
        cleaned = super().clean()
        try:
            return channels.clean_details(self.definition.code, cleaned)
        except channels.DetailsError as error:
            # A field that could not even be parsed already has its message (and is absent from `cleaned`).
            for name, message in error.errors.items():
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, message)
        except DomainError as error:
            self.add_error(None, error.message)
        return cleaned


def _field(f: channels.FieldDefinition) -> forms.Field:
    common = {"label": f.label, "help_text": f.help, "required": f.required}
    match f.type:
        case "text":
            return forms.CharField(max_length=f.max_length, **common)
        case "textarea":
            return forms.CharField(max_length=f.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common)
        case "date":
            return forms.DateField(widget=DateInput(), **common)
        case "choice":
            return forms.ChoiceField(choices=[("", EMPTY_CHOICE), *f.choices], **common)
        case "multichoice":
            return forms.MultipleChoiceField(choices=f.choices, widget=forms.CheckboxSelectMultiple, **common)
        case "bool":
            return forms.BooleanField(**{**common, "required": False})
        case "integer":
            return forms.IntegerField(min_value=f.min, max_value=f.max, **common)
    raise ValueError(f.type)


def details_form(form_code: str, *, data=None, initial=None) -> DetailsForm:
    """The form's extra fields; an unknown form code answers 404. `initial` may be a submitted QueryDict (re-showing
    what was typed, e.g. after "Nog een persoon toevoegen")."""
    definition = channels.definitions().get(form_code)
    if definition is None:
        raise Http404("Onbekend meldformulier.")
    fields = {f.name: _field(f) for f in definition.fields}
    form_class = type(DetailsForm)(f"DetailsForm_{definition.code.replace('-', '_')}", (DetailsForm,), fields)
    return form_class(definition, data, initial=_initial(definition, initial))


def _initial(definition: channels.FormDefinition, initial) -> dict | None:
    if initial is None:
        return None
    if not any(key.startswith(f"{PREFIX}-") for key in initial):
        return initial
    values = {}
    for f in definition.fields:
        key = f"{PREFIX}-{f.name}"
        if key in initial:
            values[f.name] = initial.getlist(key) if f.type == "multichoice" and hasattr(initial, "getlist") else initial[key]
    return values


def report_initial(form_code: str) -> dict:
    """What the form presets on the melding's own fields: its default theme and channel."""
    from spil.casetypes.models import CaseType

    definition = channels.definitions().get(form_code)
    if definition is None:
        return {}
    initial = {}
    if definition.case_type:
        case_type = CaseType.objects.for_intake().filter(code=definition.case_type).first()
        if case_type is not None:
            initial["requested_case_type"] = case_type.pk
    if definition.channel:
        initial["channel"] = definition.channel
    return initial


class HandoverForm(StyledForm, forms.Form):
    """Nazorg: hand a detention notice over to the gemeente (`nazorg.hand_over_to_municipality`)."""

    municipality = forms.ModelChoiceField(
        label="Gemeente", queryset=None, help_text="De gemeente waar de persoon zich na de detentie vestigt."
    )
    reason = forms.CharField(
        label="Reden",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Waarom het ZVH de nazorg niet zelf oppakt, en wat de gemeente moet weten (bijvoorbeeld: enkelvoudige "
        "vraag over woonruimte en inkomen).",
    )

    def __init__(self, *args, report, **kwargs):
        from spil.organisations.models import Municipality

        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(house=report.house_id).order_by("name")
        self.fields["municipality"].queryset = municipalities
        lives_in = report.persons.filter(municipality__in=municipalities).values_list("municipality", flat=True).first()
        if lives_in:
            self.fields["municipality"].initial = lives_in
