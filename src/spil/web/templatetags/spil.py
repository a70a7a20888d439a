from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from spil.access import policy

register = template.Library()


@register.filter
def names(persons) -> str:
    """The full names of persons, comma separated: how lists show who a melding or case is about."""
    return ", ".join(person.full_name for person in persons)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def error_list(*forms_):
    """(anchor, label, message) for every error in the given forms and formsets, for the error summary."""
    errors = []
    for form in forms_:
        if hasattr(form, "management_form"):  # a formset
            errors += [(None, "", message) for message in form.non_form_errors()]
            errors += error_list(*form.forms)
        elif hasattr(form, "fields"):
            for name, messages in form.errors.items():
                field = form.fields.get(name)
                anchor = form[name].auto_id if field and not field.widget.is_hidden else None
                label = field.label if field else ""
                errors += [(anchor, label, message) for message in messages]
    return errors


@register.simple_tag(takes_context=True)
def can(context, action, house) -> bool:
    return policy.can(context["request"].user, action, house)


@register.inclusion_tag("web/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str):
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    return {
        "request": context["request"],
        "label": label,
        "next_sort": key if descending or not active else f"-{key}",
        "aria_sort": ("descending" if descending else "ascending") if active else "none",
    }


@register.filter
def select_options(widget) -> str:
    """The <option>s of a select widget's context, as Django's own option template renders them, but in Python: a
    template include per option made a list page with a few long selects (gemeenten, partners) cost more than its rows.
    Plain f-strings with `conditional_escape` (what `format_html` escapes with), without `format_html`'s overhead per call."""
    parts = []
    for group_name, choices, _index in widget["optgroups"]:
        options = "".join([_option(choice) for choice in choices])
        parts.append(f'<optgroup label="{conditional_escape(group_name)}">{options}</optgroup>' if group_name else options)
    return mark_safe("".join(parts))


def _option(choice) -> str:
    value = "" if choice["value"] is None else choice["value"]
    return f'<option value="{conditional_escape(value)}"{_attributes(choice["attrs"])}>{conditional_escape(choice["label"])}</option>'


def _attributes(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"' for name, value in attrs.items() if value is not False
    )
