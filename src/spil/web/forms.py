"""Form rendering in the NL Design System pattern: label, help text, error beside the field, summary on top."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.cache import caches
from django.utils.safestring import mark_safe
from django.forms.widgets import DateTimeBaseInput, Input, TextInput

from spil.core.errors import DomainError
from django.forms.renderers import DjangoTemplates

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select spil-select-multiple",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "",
    forms.RadioSelect: "",
    Input: "utrecht-textbox utrecht-textbox--html-input",
}


EMPTY_CHOICE = "Maak een keuze"


def _dutch_empty_choice(field) -> None:
    """Django's empty choice reads "---------"; a Dutch prompt tells what to do."""
    if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
        field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        field.choices = [(value, EMPTY_CHOICE if label == "---------" else label) for value, label in field.choices]


class ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    """The options of a model choice field read with one plain query. Django's own iterator opens a server-side cursor
    (DECLARE, FETCH and CLOSE: three round trips) to read the few rows of a select."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class SpilFormRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class StyledForm:
    """Mixin: gives every widget its NL Design System class (Django itself sets aria-invalid on errors)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _dutch_empty_choice(field)
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ChoicesInOneQuery
                field.widget.choices = field.choices
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.template_name = "web/forms/select.html"  # options rendered in Python (`select_options`)
            for widget_type, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
                    break


class OptionsKeptForAMinute:
    """For the filter forms of list pages. Their options are reference data of the user's houses (gemeenten, melders,
    regisseurs), the same for everyone with those houses, and rendering them took about 15 ms of an inbox or case list
    page (a template per field, the queries for the options). So the HTML of a form without errors is kept, per form,
    `options_key` (what the options depend on) and filled-in values, in the `filter_forms` cache: a minute in a table
    that every web server process shares, and a minute in each process's copy of what it read (`core.cache`). Kept in
    each process alone, every process rendered each form again every minute: 14 ms of a case list's 37 ms of CPU each
    time. A new option can show up to two minutes late. A form with errors, or with typed text (a name, a BSN: not
    kept at all), is always rendered afresh."""

    options_key: tuple = ()

    def render(self, template_name=None, context=None, renderer=None):
        if template_name or context or renderer or self.errors or self._has_typed_text():
            return super().render(template_name, context, renderer)
        values = [(name, self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)) for name in self.fields]
        key = hashlib.sha256(repr((type(self).__qualname__, self.options_key, self.is_bound, values)).encode()).hexdigest()
        kept = caches["filter_forms"]
        html = kept.get(key)
        if html is None:
            html = super().render()
            kept.set(key, html)
        return mark_safe(html)

    __str__ = __html__ = render

    def _has_typed_text(self) -> bool:
        typed = [
            name
            for name, field in self.fields.items()
            if isinstance(field.widget, TextInput) and not isinstance(field.widget, DateTimeBaseInput)
        ]
        return any(self.data.get(name) for name in typed)


class VersionField(forms.IntegerField):
    """The version the user saw, posted back so a concurrent change is detected instead of overwritten."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class HouseChoiceField(forms.ModelChoiceField):
    """The house a new melding or weegtafel belongs to: a choice only for users who work for several houses."""

    def __init__(self, **kwargs):
        super().__init__(queryset=None, label="Zorg- en Veiligheidshuis", empty_label=None, **kwargs)

    def limit_to(self, houses) -> None:
        self.queryset = houses
        if len(houses) == 1:
            self.widget = forms.HiddenInput()
            self.initial = houses[0].pk


class UserChoiceMixin:
    @staticmethod
    def label_from_instance(user):
        return user.get_full_name() or user.username


class UserChoiceField(UserChoiceMixin, forms.ModelChoiceField):
    pass


class UserMultipleChoiceField(UserChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def submitted(request, form, action) -> bool:
    """On a valid POST, run `action(cleaned_data)` (a service call) and say whether it succeeded; its return
    value is kept as `form.result`.

    A domain error (a business rule said no) is shown on the form, so the user keeps what they typed.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        form.result = action(form.cleaned_data)
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    return True


def attempt(request, action, success) -> None:
    """Run a one-button action (a service call) and tell the user how it went, as a message on the next page.

    `success` is the message, or a function of the action's result that makes it.
    """
    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
